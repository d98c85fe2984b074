import type { Transaction } from 'sequelize';
import { queryOne, queryRows } from '../../db/sql.js';

/**
 * Work the system gave up on, per table:
 * - inbound: an inbound_queue delivery parked after its last attempt (failed_at set);
 * - outbox: a message the send pipeline declared dead (attempts exhausted; its outbox row is gone by then);
 * - event-delivery: a webhook delivery to a subscription (n8n) that failed for good (status failed).
 */
export const DEAD_LETTER_KINDS = ['inbound', 'outbox', 'event-delivery'] as const;
export type DeadLetterKind = (typeof DEAD_LETTER_KINDS)[number];

export type DeadLetter = {
  kind: DeadLetterKind;
  id: string;
  tenantId: string | null;
  tenantName: string | null;
  summary: string;
  error: string | null;
  failedAt: string;
  attempts: number;
};

const LIST_SQL = `
  SELECT * FROM (
    SELECT 'inbound' AS kind, q.id::text AS id, q.tenant_id AS "tenantId", t.name AS "tenantName",
           q.provider || ' message from ' || coalesce(q.message->>'from', 'unknown sender') AS summary,
           q.last_error AS error, q.failed_at AS "failedAt", q.attempts
      FROM inbound_queue q JOIN tenants t ON t.id = q.tenant_id
     WHERE q.agency_id = :agencyId AND q.failed_at IS NOT NULL
    UNION ALL
    SELECT 'outbox', m.id::text, m.tenant_id, t.name,
           m.channel || ' message to ' || coalesce(m.to_address, 'unknown recipient'),
           coalesce(m.error_code || ': ', '') || coalesce(m.error_message, ''), coalesce(m.failed_at, m.updated_at), m.attempts
      FROM messages m JOIN tenants t ON t.id = m.tenant_id
     WHERE m.agency_id = :agencyId AND m.status = 'dead'
    UNION ALL
    SELECT 'event-delivery', d.id::text, d.tenant_id, t.name,
           e.type || ' event to ' || s.url,
           coalesce(d.last_error, 'HTTP ' || d.last_status_code), d.updated_at, d.attempts
      FROM event_deliveries d JOIN event_outbox e ON e.id = d.event_id JOIN event_subscriptions s ON s.id = d.subscription_id
      LEFT JOIN tenants t ON t.id = d.tenant_id
     WHERE d.agency_id = :agencyId AND d.status = 'failed'
  ) dead ORDER BY "failedAt" DESC, id LIMIT :limit`;

export async function selectDeadLetters(tx: Transaction, where: { agencyId: string; limit: number }): Promise<DeadLetter[]> {
  const rows = await queryRows<DeadLetter & { failedAt: Date | string }>(tx, LIST_SQL, where);
  return rows.map((row) => ({ ...row, attempts: Number(row.attempts), failedAt: new Date(row.failedAt).toISOString() }));
}

/** One item of the agency, dead or not (a retried item is pending again); undefined when it is not the agency's. */
export type DeadLetterItem = { tenantId: string | null; dead: boolean; channel?: string };

const FIND_SQL: Record<DeadLetterKind, string> = {
  inbound: `SELECT tenant_id AS "tenantId", failed_at IS NOT NULL AS dead FROM inbound_queue WHERE agency_id = :agencyId AND id = CAST(:id AS bigint)`,
  outbox: `SELECT tenant_id AS "tenantId", status = 'dead' AS dead, channel FROM messages WHERE agency_id = :agencyId AND id = CAST(:id AS uuid)`,
  'event-delivery': `SELECT tenant_id AS "tenantId", status = 'failed' AS dead FROM event_deliveries WHERE agency_id = :agencyId AND id = CAST(:id AS uuid)`,
};

export function findDeadLetterItem(tx: Transaction, where: { agencyId: string; kind: DeadLetterKind; id: string }): Promise<DeadLetterItem | undefined> {
  return queryOne<DeadLetterItem>(tx, `${FIND_SQL[where.kind]} FOR UPDATE`, where);
}

// Retry puts the item back where its worker loop picks it up, with a fresh set of attempts.
const RETRY_SQL: Record<DeadLetterKind, string[]> = {
  inbound: [`UPDATE inbound_queue SET failed_at = NULL, attempts = 0, available_at = now() WHERE agency_id = :agencyId AND id = CAST(:id AS bigint)`],
  // The message table belongs to the messages module; this is the one sanctioned way out of `dead` (besides a late
  // provider report): back to queued with its attempts reset, the change in its history, and owed to the outbox again.
  outbox: [
    `UPDATE messages SET status = 'queued', attempts = 0, failed_at = NULL, error_code = NULL, error_message = NULL, updated_at = now()
      WHERE agency_id = :agencyId AND id = CAST(:id AS uuid) AND status = 'dead'`,
    `INSERT INTO message_status_events (agency_id, tenant_id, message_id, status, at, detail)
      SELECT agency_id, tenant_id, id, 'queued', now(), 'retried by agency staff from the dead letters' FROM messages WHERE id = CAST(:id AS uuid)`,
  ],
  'event-delivery': [
    `UPDATE event_deliveries SET status = 'pending', attempts = 0, next_attempt_at = now(), locked_until = NULL, updated_at = now()
      WHERE agency_id = :agencyId AND id = CAST(:id AS uuid)`,
  ],
};

// Discard ends the item: the parked delivery and the failed webhook delivery are deleted (the audit trail keeps
// what was discarded); a dead message stays in its conversation, marked failed, so it leaves the list.
const DISCARD_SQL: Record<DeadLetterKind, string[]> = {
  inbound: ['DELETE FROM inbound_queue WHERE agency_id = :agencyId AND id = CAST(:id AS bigint)'],
  outbox: [
    `UPDATE messages SET status = 'failed', updated_at = now() WHERE agency_id = :agencyId AND id = CAST(:id AS uuid) AND status = 'dead'`,
    `INSERT INTO message_status_events (agency_id, tenant_id, message_id, status, at, error_code, detail)
      SELECT agency_id, tenant_id, id, 'failed', now(), error_code, 'discarded by agency staff from the dead letters' FROM messages WHERE id = CAST(:id AS uuid)`,
  ],
  'event-delivery': ['DELETE FROM event_deliveries WHERE agency_id = :agencyId AND id = CAST(:id AS uuid)'],
};

export async function retryDeadLetterItem(tx: Transaction, where: { agencyId: string; kind: DeadLetterKind; id: string }): Promise<void> {
  for (const sql of RETRY_SQL[where.kind]) await queryRows(tx, sql, where);
}

export async function discardDeadLetterItem(tx: Transaction, where: { agencyId: string; kind: DeadLetterKind; id: string }): Promise<void> {
  for (const sql of DISCARD_SQL[where.kind]) await queryRows(tx, sql, where);
}
