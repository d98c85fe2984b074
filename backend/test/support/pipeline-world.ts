import { randomUUID } from 'node:crypto';
import { QueryTypes, type Sequelize } from 'sequelize';
import { createTenantRow } from './accounts-world.js';

// Test-data mother for the send pipeline: tenants with contacts and queued outbound messages,
// written beneath row-level security (superuser), as requestSend would leave them.
export type PipelineTenant = { agencyId: string; tenantId: string };

async function one<T extends object>(db: Sequelize, sql: string, replacements: Record<string, unknown>): Promise<T> {
  const rows = await db.query<T>(sql, { replacements, type: QueryTypes.SELECT });
  return rows[0]!;
}

export async function createPipelineAgency(db: Sequelize): Promise<string> {
  return (await one<{ id: string }>(db, `INSERT INTO agencies (name) VALUES (:name) RETURNING id`, { name: `Pipeline ${randomUUID().slice(0, 6)}` })).id;
}

export async function createPipelineTenant(db: Sequelize, agencyId?: string): Promise<PipelineTenant> {
  const agency = agencyId ?? (await createPipelineAgency(db));
  const tenant = await createTenantRow(db, agency);
  // A permissive policy: any hour, no opt-in needed, no frequency cap (these tests are about the pipeline).
  await db.query(
    `INSERT INTO messaging_settings (tenant_id, agency_id, window_start, window_end, opt_in_required, frequency_cap_count)
     VALUES (:tenantId, :agencyId, '00:00', '00:00', '{"sms": false, "whatsapp": false, "telegram": false, "web": false}', NULL)`,
    { replacements: { tenantId: tenant.id, agencyId: agency } },
  );
  return { agencyId: agency, tenantId: tenant.id };
}

let phoneCounter = Math.floor(Math.random() * 1_000_000);
const nextPhone = () => `+1555${String(phoneCounter++ % 10_000_000).padStart(7, '0')}`;

export type QueuedMessage = { id: string; from: string; to: string };

/** A queued outbound SMS (status, attempts and outbox row as requestSend leaves them). */
export async function insertQueuedMessage(
  db: Sequelize,
  tenant: PipelineTenant,
  input: { from?: string; status?: string; attempts?: number; availableAt?: Date; outbox?: boolean; body?: string } = {},
): Promise<QueuedMessage> {
  const to = nextPhone();
  const contact = await one<{ id: string }>(
    db,
    `INSERT INTO contacts (agency_id, tenant_id, phone) VALUES (:agencyId, :tenantId, :to) RETURNING id`,
    { ...tenant, to },
  );
  const conversation = await one<{ id: string }>(
    db,
    `INSERT INTO conversations (agency_id, tenant_id, contact_id, channel) VALUES (:agencyId, :tenantId, :contactId, 'sms') RETURNING id`,
    { ...tenant, contactId: contact.id },
  );
  const from = input.from ?? '+15550000001';
  const message = await one<{ id: string }>(
    db,
    `INSERT INTO messages (agency_id, tenant_id, conversation_id, contact_id, direction, channel, from_address, to_address, body,
       source, status, attempts, idempotency_key, queued_at)
     VALUES (:agencyId, :tenantId, :conversationId, :contactId, 'outbound', 'sms', :from, :to, :body, 'api', :status, :attempts,
       :idempotencyKey, now()) RETURNING id`,
    {
      ...tenant,
      conversationId: conversation.id,
      contactId: contact.id,
      from,
      to,
      body: input.body ?? 'Your appointment is confirmed',
      status: input.status ?? 'queued',
      attempts: input.attempts ?? 0,
      idempotencyKey: randomUUID(),
    },
  );
  if (input.outbox !== false) {
    await db.query(
      `INSERT INTO message_outbox (agency_id, tenant_id, message_id, channel, available_at) VALUES (:agencyId, :tenantId, :messageId, 'sms', :availableAt)`,
      { replacements: { ...tenant, messageId: message.id, availableAt: (input.availableAt ?? new Date()).toISOString() } },
    );
  }
  return { id: message.id, from, to };
}

export type MessageState = { status: string; attempts: number; providerMessageId: string | null; errorCode: string | null; errorMessage: string | null };

export async function messageState(db: Sequelize, messageId: string): Promise<MessageState> {
  return one<MessageState>(
    db,
    `SELECT status, attempts, provider_message_id AS "providerMessageId", error_code AS "errorCode", error_message AS "errorMessage"
     FROM messages WHERE id = :messageId`,
    { messageId },
  );
}

export async function outboxRowCount(db: Sequelize, messageIds: string[]): Promise<number> {
  const row = await one<{ n: string }>(db, `SELECT count(*) AS n FROM message_outbox WHERE message_id IN (:messageIds)`, { messageIds });
  return Number(row.n);
}

/** Polls until `check` returns a value (not undefined) or the time is up. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
