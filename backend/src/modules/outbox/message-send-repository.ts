import type { Transaction } from 'sequelize';
import { queryOne, queryRows } from '../../db/sql.js';
import type { Channel, OutboundMessage } from '../../ports/messaging.js';

// The only SQL the pipeline runs against the domain's `messages` table (see docs/messaging-contract.md).
// Every state change is conditional on the status and attempt count the caller saw: two workers that
// somehow hold the same message (an expired job lock) cannot both win the right to call the provider.

export type SendableMessage = {
  id: string;
  tenantId: string;
  channel: Channel;
  status: string;
  attempts: number;
  provider: string | null;
  outbound: OutboundMessage;
};

type Row = {
  id: string;
  tenantId: string;
  channel: Channel;
  status: string;
  attempts: number;
  provider: string | null;
  body: string | null;
  template: OutboundMessage['template'] | null;
  idempotencyKey: string | null;
  to: string;
  from: string | null;
  attemptStartedAt: Date | null;
};

export async function findMessageForSend(tx: Transaction, messageId: string): Promise<SendableMessage | undefined> {
  const row = await queryOne<Row>(
    tx,
    `SELECT id, tenant_id AS "tenantId", channel, status, attempts, provider, body, template,
       idempotency_key AS "idempotencyKey", to_address AS "to", from_address AS "from",
       attempt_started_at AS "attemptStartedAt"
     FROM messages WHERE id = :messageId`,
    { messageId },
  );
  if (!row) return undefined;
  return {
    id: row.id,
    tenantId: row.tenantId,
    channel: row.channel,
    status: row.status,
    attempts: Number(row.attempts),
    provider: row.provider,
    outbound: {
      messageId: row.id,
      tenantId: row.tenantId,
      channel: row.channel,
      from: row.from ?? '',
      to: row.to,
      body: row.body ?? undefined,
      template: row.template ?? undefined,
      idempotencyKey: row.idempotencyKey ?? row.id,
      // Only meaningful while `sending`: when the attempt whose outcome is unknown started.
      firstAttemptAt: row.attemptStartedAt ? new Date(row.attemptStartedAt).toISOString() : undefined,
    },
  };
}

type Seen = { messageId: string; status: string; attempts: number };

/** Claims one attempt: status -> sending, attempts + 1. False when someone else changed the row first. */
export async function claimSendAttempt(tx: Transaction, seen: Seen & { provider: string }): Promise<boolean> {
  const rows = await queryRows(
    tx,
    `UPDATE messages SET status = 'sending', attempts = attempts + 1, provider = :provider,
       attempt_started_at = now(), updated_at = now()
     WHERE id = :messageId AND status = :status AND attempts = :attempts RETURNING id`,
    seen,
  );
  if (rows.length === 1) await recordStatusEvent(tx, { messageId: seen.messageId, status: 'sending', errorCode: null, detail: `attempt ${seen.attempts + 1}` });
  return rows.length === 1;
}

/** The provider has the message: sent (an attempt of ours that we saw or reconciled), from the sender it used. */
export async function markSent(
  tx: Transaction,
  input: { messageId: string; provider: string; providerMessageId: string; from?: string },
): Promise<boolean> {
  const rows = await queryRows(
    tx,
    `UPDATE messages SET status = 'sent', provider = :provider, provider_message_id = :providerMessageId,
       from_address = coalesce(from_address, :from),
       error_code = NULL, error_message = NULL, sent_at = coalesce(sent_at, now()), updated_at = now()
     WHERE id = :messageId AND status = 'sending' RETURNING id`,
    { ...input, from: input.from || null },
  );
  if (rows.length === 1) await recordStatusEvent(tx, { messageId: input.messageId, status: 'sent', errorCode: null, detail: null });
  return rows.length === 1;
}

export type FinalFailure = { messageId: string; status: 'failed' | 'dead'; errorCode: string; errorMessage: string };

export async function markFinalFailure(tx: Transaction, input: FinalFailure): Promise<boolean> {
  const rows = await queryRows(
    tx,
    `UPDATE messages SET status = :status, error_code = :errorCode, error_message = left(:errorMessage, 1000),
       failed_at = now(), updated_at = now()
     WHERE id = :messageId AND status IN ('queued', 'deferred', 'sending') RETURNING id`,
    input,
  );
  if (rows.length === 1) {
    await recordStatusEvent(tx, { messageId: input.messageId, status: input.status, errorCode: input.errorCode, detail: input.errorMessage });
  }
  return rows.length === 1;
}

/** Not sent this time; another attempt is scheduled. */
export async function markRetryPending(tx: Transaction, input: { messageId: string; errorCode: string; errorMessage: string }): Promise<void> {
  const rows = await queryRows(
    tx,
    `UPDATE messages SET status = 'queued', error_code = :errorCode, error_message = left(:errorMessage, 1000), updated_at = now()
     WHERE id = :messageId AND status = 'sending' RETURNING id`,
    input,
  );
  if (rows.length === 1) await recordStatusEvent(tx, { messageId: input.messageId, status: 'queued', errorCode: input.errorCode, detail: input.errorMessage });
}

/** The message's status history (the domain's table; one row per change). */
async function recordStatusEvent(
  tx: Transaction,
  input: { messageId: string; status: string; errorCode: string | null; detail: string | null },
): Promise<void> {
  await queryRows(
    tx,
    `INSERT INTO message_status_events (agency_id, tenant_id, message_id, status, at, error_code, detail)
     SELECT agency_id, tenant_id, id, :status, now(), :errorCode, left(:detail, 500) FROM messages WHERE id = :messageId`,
    input,
  );
}
