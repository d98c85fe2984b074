import type { Transaction } from 'sequelize';
import { iso } from '../../db/rows.js';
import { queryOne, queryRows } from '../../db/sql.js';
import type { Channel } from '../../ports/messaging.js';
import type { PolicyResult } from '../policy/policy-types.js';
import type { Message, MessageStatus, MessageTemplate, StatusChange } from './message-types.js';

type Row = Omit<Message, 'policy' | 'error'> & {
  policyDecision: 'allow' | 'defer' | 'deny' | null;
  policyReason: string | null;
  policyReasonText: string | null;
  policyEvidence: { kind: 'call' | 'message'; id: string; at: string } | null;
  deferredUntil: Date | string | null;
  errorCode: string | null;
  errorMessage: string | null;
};

const COLUMNS = `id, tenant_id AS "tenantId", conversation_id AS "conversationId", contact_id AS "contactId", direction, channel,
  from_address AS "from", to_address AS "to", body, template, purpose, source, status,
  policy_decision AS "policyDecision", policy_reason AS "policyReason", policy_reason_text AS "policyReasonText",
  policy_evidence AS "policyEvidence", deferred_until AS "deferredUntil", idempotency_key AS "idempotencyKey", provider, provider_message_id AS "providerMessageId",
  error_code AS "errorCode", error_message AS "errorMessage", attempts, queued_at AS "queuedAt", sent_at AS "sentAt",
  delivered_at AS "deliveredAt", read_at AS "readAt", failed_at AS "failedAt", received_at AS "receivedAt",
  created_at AS "createdAt", updated_at AS "updatedAt"`;

function plain(row: Row): Message {
  const { policyDecision, policyReason, policyReasonText, policyEvidence, deferredUntil, errorCode, errorMessage, ...rest } = row;
  return {
    ...rest,
    policy: policyDecision ? { decision: policyDecision, reason: { code: policyReason!, message: policyReasonText ?? '' }, until: iso(deferredUntil), evidence: policyEvidence ?? null } : null,
    error: errorCode || errorMessage ? { code: errorCode, message: errorMessage } : null,
    queuedAt: iso(rest.queuedAt), sentAt: iso(rest.sentAt), deliveredAt: iso(rest.deliveredAt), readAt: iso(rest.readAt),
    failedAt: iso(rest.failedAt), receivedAt: iso(rest.receivedAt), createdAt: iso(rest.createdAt)!, updatedAt: iso(rest.updatedAt)!,
  };
}

export async function findMessage(tx: Transaction, where: { tenantId: string; messageId: string; forUpdate?: boolean }): Promise<Message | undefined> {
  const row = await queryOne<Row>(tx, `SELECT ${COLUMNS} FROM messages WHERE id = :messageId AND tenant_id = :tenantId${where.forUpdate ? ' FOR UPDATE' : ''}`, where);
  return row && plain(row);
}

export async function findMessageByIdempotencyKey(tx: Transaction, where: { tenantId: string; idempotencyKey: string }): Promise<Message | undefined> {
  const row = await queryOne<Row>(tx, `SELECT ${COLUMNS} FROM messages WHERE tenant_id = :tenantId AND idempotency_key = :idempotencyKey`, where);
  return row && plain(row);
}

export async function findMessageByProviderId(
  tx: Transaction,
  where: { tenantId: string; provider: string; providerMessageId: string; forUpdate?: boolean },
): Promise<Message | undefined> {
  const row = await queryOne<Row>(
    tx,
    `SELECT ${COLUMNS} FROM messages WHERE tenant_id = :tenantId AND provider = :provider AND provider_message_id = :providerMessageId${where.forUpdate ? ' FOR UPDATE' : ''}`,
    where,
  );
  return row && plain(row);
}

export type NewMessage = {
  agencyId: string;
  tenantId: string;
  conversationId: string;
  contactId: string;
  direction: 'inbound' | 'outbound';
  channel: Channel;
  from: string | null;
  to: string | null;
  body: string | null;
  template: MessageTemplate | null;
  purpose: Message['purpose'];
  source: string;
  status: MessageStatus;
  policy: PolicyResult | null;
  idempotencyKey: string | null;
  provider: string | null;
  providerMessageId: string | null;
  at: Date;
};

/** The inbound call or message a reply was allowed on, stored with the decision as its evidence. */
function evidenceJson(policy: PolicyResult | null | undefined): string | null {
  const evidence = policy?.evidence;
  return evidence ? JSON.stringify({ kind: evidence.kind, id: evidence.id, at: evidence.at.toISOString() }) : null;
}

/** Inserts a message and its first status-history entry. */
export async function insertMessage(tx: Transaction, m: NewMessage): Promise<Message> {
  const row = await queryOne<Row>(
    tx,
    `INSERT INTO messages (agency_id, tenant_id, conversation_id, contact_id, direction, channel, from_address, to_address, body, template,
       purpose, source, status, policy_decision, policy_reason, policy_reason_text, policy_evidence, deferred_until, idempotency_key, provider,
       provider_message_id, queued_at, received_at, created_at, updated_at)
     VALUES (:agencyId, :tenantId, :conversationId, :contactId, :direction, :channel, :from, :to, :body, CAST(:template AS jsonb),
       :purpose, :source, :status, :decision, :reasonCode, :reasonText, CAST(:evidence AS jsonb), :until, :idempotencyKey, :provider,
       :providerMessageId, :queuedAt, :receivedAt, :at, :at)
     RETURNING ${COLUMNS}`,
    {
      ...m,
      template: m.template ? JSON.stringify(m.template) : null,
      decision: m.policy?.decision ?? null,
      reasonCode: m.policy?.reason.code ?? null,
      reasonText: m.policy?.reason.message.slice(0, 500) ?? null,
      evidence: evidenceJson(m.policy),
      until: m.policy?.until?.toISOString() ?? null,
      queuedAt: m.status === 'queued' ? m.at.toISOString() : null,
      receivedAt: m.direction === 'inbound' ? m.at.toISOString() : null,
      at: m.at.toISOString(),
    },
  );
  const message = plain(row!);
  await insertStatusChange(tx, { agencyId: m.agencyId, tenantId: m.tenantId, messageId: message.id, status: m.status, at: m.at, detail: m.policy?.reason.code ?? null });
  return message;
}

export async function insertStatusChange(
  tx: Transaction,
  change: { agencyId: string; tenantId: string; messageId: string; status: MessageStatus; at: Date; errorCode?: string | null; detail?: string | null },
): Promise<void> {
  await queryRows(
    tx,
    `INSERT INTO message_status_events (agency_id, tenant_id, message_id, status, at, error_code, detail)
     VALUES (:agencyId, :tenantId, :messageId, :status, :at, :errorCode, :detail)`,
    { ...change, at: change.at.toISOString(), errorCode: change.errorCode ?? null, detail: change.detail?.slice(0, 500) ?? null },
  );
}

export async function listStatusChanges(tx: Transaction, where: { tenantId: string; messageId: string }): Promise<StatusChange[]> {
  const rows = await queryRows<StatusChange>(
    tx,
    `SELECT status, at, error_code AS "errorCode", detail FROM message_status_events
     WHERE tenant_id = :tenantId AND message_id = :messageId ORDER BY id`,
    where,
  );
  return rows.map((row) => ({ ...row, at: iso(row.at)! }));
}

const STATUS_TIME_COLUMN: Partial<Record<MessageStatus, string>> = {
  queued: 'queued_at', sent: 'sent_at', delivered: 'delivered_at', read: 'read_at', failed: 'failed_at', undelivered: 'failed_at', dead: 'failed_at',
};

/** Moves a message to `status` (the caller decided the move is allowed) and records it in the history. */
export async function updateMessageStatus(
  tx: Transaction,
  change: {
    agencyId: string; tenantId: string; messageId: string; status: MessageStatus; at: Date;
    errorCode?: string | null; errorMessage?: string | null; provider?: string | null; providerMessageId?: string | null;
    policy?: PolicyResult | null;
  },
): Promise<Message> {
  const timeColumn = STATUS_TIME_COLUMN[change.status];
  const row = await queryOne<Row>(
    tx,
    `UPDATE messages SET status = :status, updated_at = now(),
       ${timeColumn ? `${timeColumn} = coalesce(${timeColumn}, :at),` : ''}
       error_code = coalesce(:errorCode, error_code), error_message = coalesce(:errorMessage, error_message),
       provider = coalesce(provider, :provider), provider_message_id = coalesce(provider_message_id, :providerMessageId),
       policy_decision = coalesce(:decision, policy_decision), policy_reason = coalesce(:reasonCode, policy_reason),
       policy_reason_text = coalesce(:reasonText, policy_reason_text),
       policy_evidence = CASE WHEN CAST(:decision AS text) IS NULL THEN policy_evidence ELSE CAST(:evidence AS jsonb) END,
       deferred_until = CASE WHEN CAST(:decision AS text) IS NULL THEN deferred_until ELSE CAST(:until AS timestamptz) END
     WHERE id = :messageId AND tenant_id = :tenantId RETURNING ${COLUMNS}`,
    {
      ...change,
      at: change.at.toISOString(),
      errorCode: change.errorCode ?? null,
      errorMessage: change.errorMessage?.slice(0, 1000) ?? null,
      provider: change.provider ?? null,
      providerMessageId: change.providerMessageId ?? null,
      decision: change.policy?.decision ?? null,
      reasonCode: change.policy?.reason.code ?? null,
      reasonText: change.policy?.reason.message.slice(0, 500) ?? null,
      evidence: evidenceJson(change.policy),
      until: change.policy?.until?.toISOString() ?? null,
    },
  );
  await insertStatusChange(tx, { ...change, detail: change.errorMessage ?? change.policy?.reason.code ?? null });
  return plain(row!);
}

/** When the contact's counted outbound messages (those let out by the policy) were queued, since `since`. */
export async function recentSendTimes(tx: Transaction, where: { tenantId: string; contactId: string; since: Date; excludeMessageId?: string }): Promise<Date[]> {
  const rows = await queryRows<{ at: Date }>(
    tx,
    `SELECT coalesce(sent_at, queued_at) AS at FROM messages
     WHERE tenant_id = :tenantId AND contact_id = :contactId AND direction = 'outbound' AND coalesce(sent_at, queued_at) > :since
       AND status NOT IN ('denied', 'deferred', 'dead') AND id <> coalesce(CAST(:excludeMessageId AS uuid), '00000000-0000-0000-0000-000000000000')`,
    { ...where, since: where.since.toISOString(), excludeMessageId: where.excludeMessageId ?? null },
  );
  return rows.map((row) => new Date(row.at));
}

export async function listDeadMessages(tx: Transaction, where: { tenantId: string; limit: number; offset: number }): Promise<Message[]> {
  const rows = await queryRows<Row>(
    tx,
    `SELECT ${COLUMNS} FROM messages WHERE tenant_id = :tenantId AND status = 'dead' ORDER BY updated_at DESC, id LIMIT :limit OFFSET :offset`,
    where,
  );
  return rows.map(plain);
}

export async function listConversationMessages(
  tx: Transaction,
  where: { tenantId: string; conversationId: string; limit: number; offset: number },
): Promise<Message[]> {
  const rows = await queryRows<Row>(
    tx,
    `SELECT ${COLUMNS} FROM messages WHERE tenant_id = :tenantId AND conversation_id = :conversationId
     ORDER BY created_at, seq LIMIT :limit OFFSET :offset`,
    where,
  );
  return rows.map(plain);
}
