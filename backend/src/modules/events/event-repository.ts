import type { Transaction } from 'sequelize';
import { queryRows } from '../../db/sql.js';
import type { DomainEvent } from '../../ports/events.js';

type EventRow = Omit<DomainEvent, 'occurredAt'> & { occurredAt: Date | string; dispatchAttempts: number };

const EVENT_COLUMNS = `id, agency_id AS "agencyId", tenant_id AS "tenantId", type, data, occurred_at AS "occurredAt",
  dispatch_attempts AS "dispatchAttempts"`;

export function plainEvent(row: EventRow): DomainEvent {
  const { dispatchAttempts: _attempts, ...event } = row;
  return { ...event, occurredAt: new Date(row.occurredAt).toISOString() };
}

export async function insertEvent(tx: Transaction, event: DomainEvent): Promise<void> {
  await queryRows(
    tx,
    `INSERT INTO event_outbox (id, agency_id, tenant_id, type, data, occurred_at)
     VALUES (:id, :agencyId, :tenantId, :type, CAST(:data AS jsonb), :occurredAt)`,
    { ...event, tenantId: event.tenantId || null, data: JSON.stringify(event.data) },
  );
}

/** Undispatched, due events of the agency; locked (SKIP LOCKED) until the caller's transaction ends. */
export async function claimPendingEvents(tx: Transaction, input: { agencyId: string; limit: number }): Promise<(DomainEvent & { dispatchAttempts: number })[]> {
  const rows = await queryRows<EventRow>(
    tx,
    `SELECT ${EVENT_COLUMNS} FROM event_outbox
     WHERE agency_id = :agencyId AND dispatched_at IS NULL AND next_dispatch_at <= now()
     ORDER BY occurred_at, id LIMIT :limit FOR UPDATE SKIP LOCKED`,
    input,
  );
  return rows.map((row) => ({ ...plainEvent(row), dispatchAttempts: Number(row.dispatchAttempts) }));
}

export async function markEventDispatched(tx: Transaction, eventId: string): Promise<void> {
  await queryRows(tx, 'UPDATE event_outbox SET dispatched_at = now(), last_error = NULL WHERE id = :eventId', { eventId });
}

export async function postponeEventDispatch(tx: Transaction, input: { eventId: string; delayMs: number; error: string }): Promise<void> {
  await queryRows(
    tx,
    `UPDATE event_outbox SET dispatch_attempts = dispatch_attempts + 1, last_error = left(:error, 1000),
       next_dispatch_at = now() + make_interval(secs => :delayMs / 1000.0) WHERE id = :eventId`,
    input,
  );
}

/** One pending delivery per matching subscription; a re-dispatched event adds none twice. */
export async function insertDeliveries(tx: Transaction, event: DomainEvent, subscriptionIds: string[]): Promise<void> {
  if (subscriptionIds.length === 0) return;
  await queryRows(
    tx,
    `INSERT INTO event_deliveries (agency_id, tenant_id, event_id, subscription_id)
     SELECT :agencyId, :tenantId, :eventId, unnest(CAST(ARRAY[:subscriptionIds] AS uuid[]))
     ON CONFLICT (event_id, subscription_id) DO NOTHING`,
    { agencyId: event.agencyId, tenantId: event.tenantId || null, eventId: event.id, subscriptionIds },
  );
}
