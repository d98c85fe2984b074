import type { Transaction } from 'sequelize';
import { queryRows } from '../../db/sql.js';
import type { Channel } from '../../ports/messaging.js';

export type OutboxEntry = {
  messageId: string;
  tenantId: string;
  channel: Channel;
  /** When the message may go out (policy `defer`); now when omitted. */
  availableAt?: Date | string | null;
};

/**
 * Records that `messageId` must be sent, in the caller's (tenant-scoped) transaction, so the message
 * row and the promise to send it commit together. Enqueuing the same message again only moves its
 * due time (a deferred message re-deferred); it never creates a second send.
 */
export async function enqueueOutbox(transaction: Transaction, entry: OutboxEntry): Promise<void> {
  const availableAt = entry.availableAt ? new Date(entry.availableAt).toISOString() : null;
  const rows = await queryRows<{ id: string }>(
    transaction,
    `INSERT INTO message_outbox (agency_id, tenant_id, message_id, channel, available_at)
     SELECT t.agency_id, t.id, :messageId, :channel, coalesce(CAST(:availableAt AS timestamptz), now())
       FROM tenants t WHERE t.id = :tenantId
     ON CONFLICT (message_id) DO UPDATE SET available_at = EXCLUDED.available_at, relayed_at = NULL
     RETURNING id`,
    { messageId: entry.messageId, tenantId: entry.tenantId, channel: entry.channel, availableAt },
  );
  if (rows.length === 0) throw new Error(`enqueueOutbox: tenant ${entry.tenantId} is not visible in this transaction's scope`);
}
