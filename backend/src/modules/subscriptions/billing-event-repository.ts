import type { Transaction } from 'sequelize';
import { queryOne, queryRows } from '../../db/sql.js';

/**
 * Stores a Stripe event once per event id. Answers whether it had been applied before (a replay of an
 * applied event changes nothing; a replay of one that failed half-way is applied again).
 */
export async function recordBillingEvent(
  tx: Transaction,
  input: { agencyId: string; eventId: string; type: string; objectId: string | null },
): Promise<{ alreadyApplied: boolean }> {
  await queryRows(
    tx,
    `INSERT INTO billing_events (agency_id, stripe_event_id, type, stripe_object_id) VALUES (:agencyId, :eventId, :type, :objectId)
     ON CONFLICT (stripe_event_id) DO NOTHING`,
    input,
  );
  const row = await queryOne<{ appliedAt: string | null; agencyId: string }>(
    tx, 'SELECT applied_at AS "appliedAt", agency_id AS "agencyId" FROM billing_events WHERE stripe_event_id = :eventId', input,
  );
  // Under RLS another agency's row with the same id is invisible: treat it as applied (never ours to apply).
  return { alreadyApplied: !row || row.appliedAt !== null };
}

export async function markBillingEventApplied(tx: Transaction, input: { eventId: string; tenantId: string | null }): Promise<void> {
  await queryRows(tx, 'UPDATE billing_events SET applied_at = now(), tenant_id = :tenantId WHERE stripe_event_id = :eventId', input);
}
