import type { Transaction } from 'sequelize';
import { queryRows } from '../../db/sql.js';
import type { Channel } from '../../ports/messaging.js';

export type DueOutboxRow = { messageId: string; tenantId: string; agencyId: string; channel: Channel };

/**
 * Claims the agency's due rows (never relayed, or relayed longer than `leaseSeconds` ago and still
 * here, i.e. the message is not final yet) and stamps them relayed. SKIP LOCKED: concurrent relays
 * in other workers take other rows. The caller enqueues before committing.
 */
export async function claimDueOutboxRows(
  tx: Transaction,
  input: { agencyId: string; limit: number; leaseSeconds: number },
): Promise<DueOutboxRow[]> {
  return queryRows<DueOutboxRow>(
    tx,
    `UPDATE message_outbox SET relayed_at = now(), relay_count = relay_count + 1
     WHERE id IN (
       SELECT id FROM message_outbox
       WHERE agency_id = :agencyId AND available_at <= now()
         AND (relayed_at IS NULL OR relayed_at < now() - make_interval(secs => :leaseSeconds))
       ORDER BY available_at LIMIT :limit FOR UPDATE SKIP LOCKED)
     RETURNING message_id AS "messageId", tenant_id AS "tenantId", agency_id AS "agencyId", channel`,
    input,
  );
}

/** The message reached a final state (or vanished): nothing is owed any more. */
export async function deleteOutboxRow(tx: Transaction, messageId: string): Promise<void> {
  await queryRows(tx, 'DELETE FROM message_outbox WHERE message_id = :messageId', { messageId });
}

/** Ids of all agencies (the relay works agency by agency, each in its own row-level security scope). */
export async function listAgencyIds(tx: Transaction): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(tx, 'SELECT id FROM agencies ORDER BY id');
  return rows.map((row) => row.id);
}
