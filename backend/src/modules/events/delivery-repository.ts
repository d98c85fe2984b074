import type { Transaction } from 'sequelize';
import { queryRows } from '../../db/sql.js';
import type { DomainEvent } from '../../ports/events.js';
import { plainEvent } from './event-repository.js';

export type DueDelivery = {
  id: string;
  attempts: number;
  url: string;
  secretEncrypted: string;
  event: DomainEvent;
};

type Row = Omit<DueDelivery, 'event'> & { event: Omit<DomainEvent, 'occurredAt'> & { occurredAt: string } };

/**
 * Leases due deliveries of the agency to this worker for `leaseSeconds` (attempt counted now, so a
 * worker that dies mid-POST still used the attempt). SKIP LOCKED keeps other workers off them.
 */
export async function leaseDueDeliveries(
  tx: Transaction,
  input: { agencyId: string; limit: number; leaseSeconds: number },
): Promise<DueDelivery[]> {
  const rows = await queryRows<Row>(
    tx,
    `WITH due AS (
       SELECT id FROM event_deliveries
       WHERE agency_id = :agencyId AND status = 'pending' AND next_attempt_at <= now()
         AND (locked_until IS NULL OR locked_until < now())
       ORDER BY next_attempt_at LIMIT :limit FOR UPDATE SKIP LOCKED),
     leased AS (
       UPDATE event_deliveries d SET locked_until = now() + make_interval(secs => :leaseSeconds), attempts = d.attempts + 1,
         updated_at = now()
       FROM due WHERE d.id = due.id
       RETURNING d.id, d.attempts, d.event_id, d.subscription_id)
     SELECT l.id, l.attempts, s.url, s.secret_encrypted AS "secretEncrypted",
       json_build_object('id', e.id, 'type', e.type, 'agencyId', e.agency_id, 'tenantId', e.tenant_id,
         'occurredAt', e.occurred_at, 'data', e.data, 'dispatchAttempts', 0) AS event
     FROM leased l JOIN event_subscriptions s ON s.id = l.subscription_id JOIN event_outbox e ON e.id = l.event_id`,
    input,
  );
  return rows.map((row) => ({ ...row, attempts: Number(row.attempts), event: plainEvent({ ...row.event, dispatchAttempts: 0 }) }));
}

export type DeliveryResult =
  | { outcome: 'delivered'; statusCode: number }
  | { outcome: 'retry'; statusCode: number | null; error: string; delayMs: number }
  | { outcome: 'failed'; statusCode: number | null; error: string };

export async function recordDeliveryResult(tx: Transaction, deliveryId: string, result: DeliveryResult): Promise<void> {
  await queryRows(
    tx,
    `UPDATE event_deliveries SET
       status = CASE :outcome WHEN 'retry' THEN 'pending' ELSE :outcome END,
       last_status_code = :statusCode, last_error = left(:error, 1000), locked_until = NULL,
       delivered_at = CASE :outcome WHEN 'delivered' THEN now() ELSE NULL END,
       next_attempt_at = now() + make_interval(secs => :delayMs / 1000.0), updated_at = now()
     WHERE id = :deliveryId`,
    {
      deliveryId,
      outcome: result.outcome,
      statusCode: result.statusCode,
      error: 'error' in result ? result.error : null,
      delayMs: result.outcome === 'retry' ? result.delayMs : 0,
    },
  );
}

export type DeliveryLogEntry = {
  id: string;
  eventId: string;
  eventType: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
};

export async function listDeliveries(tx: Transaction, input: { subscriptionId: string; limit: number }): Promise<DeliveryLogEntry[]> {
  const rows = await queryRows<DeliveryLogEntry>(
    tx,
    `SELECT d.id, d.event_id AS "eventId", e.type AS "eventType", d.status, d.attempts, d.last_status_code AS "lastStatusCode",
       d.last_error AS "lastError", CASE WHEN d.status = 'pending' THEN d.next_attempt_at END AS "nextAttemptAt",
       d.delivered_at AS "deliveredAt", d.created_at AS "createdAt"
     FROM event_deliveries d JOIN event_outbox e ON e.id = d.event_id
     WHERE d.subscription_id = :subscriptionId ORDER BY d.created_at DESC, d.id LIMIT :limit`,
    input,
  );
  const iso = (value: unknown) => (value ? new Date(value as string).toISOString() : null);
  return rows.map((row) => ({ ...row, nextAttemptAt: iso(row.nextAttemptAt), deliveredAt: iso(row.deliveredAt), createdAt: iso(row.createdAt)! }));
}
