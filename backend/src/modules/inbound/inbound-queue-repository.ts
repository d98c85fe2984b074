import type { Transaction } from 'sequelize';
import { queryRows } from '../../db/sql.js';
import type { InboundMessage } from '../messages/receive-inbound.js';

export type QueuedInbound = { id: string; attempts: number; message: InboundMessage };

/** Stores several deliveries of one tenant in one statement; RETURNING names the ones that were new. */
export function insertQueuedInboundBatchStatement(batch: readonly InboundMessage[]): { sql: string; replacements: Record<string, unknown> } {
  const replacements: Record<string, unknown> = {};
  const values = batch.map((inbound, i) => {
    Object.assign(replacements, {
      [`a${i}`]: inbound.agencyId, [`t${i}`]: inbound.tenantId, [`p${i}`]: inbound.provider, [`m${i}`]: inbound.providerMessageId,
      [`j${i}`]: JSON.stringify(inbound), [`r${i}`]: inbound.receivedAt.toISOString(),
    });
    return `(:a${i}, :t${i}, :p${i}, :m${i}, CAST(:j${i} AS jsonb), :r${i})`;
  });
  return {
    sql: `INSERT INTO inbound_queue (agency_id, tenant_id, provider, provider_message_id, message, received_at)
     VALUES ${values.join(', ')}
     ON CONFLICT (tenant_id, provider, provider_message_id) DO NOTHING RETURNING provider, provider_message_id`,
    replacements,
  };
}

/** Claims the agency's due deliveries, oldest first; SKIP LOCKED lets other workers take the rest. */
export async function claimQueuedInbound(tx: Transaction, input: { agencyId: string; limit: number }): Promise<QueuedInbound[]> {
  const rows = await queryRows<{ id: string; attempts: number; message: InboundMessage & { receivedAt: string } }>(
    tx,
    `SELECT id, attempts, message FROM inbound_queue
     WHERE agency_id = :agencyId AND failed_at IS NULL AND available_at <= now()
     ORDER BY id LIMIT :limit FOR UPDATE SKIP LOCKED`,
    input,
  );
  return rows.map((row) => ({ id: String(row.id), attempts: row.attempts, message: { ...row.message, receivedAt: new Date(row.message.receivedAt) } }));
}

export async function deleteQueuedInbound(tx: Transaction, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await queryRows(tx, 'DELETE FROM inbound_queue WHERE id IN (:ids)', { ids });
}

/** A delivery that could not be processed: retried later, or parked (failed_at) after the last attempt. */
export async function deferQueuedInbound(tx: Transaction, input: { id: string; error: string; retryInMs: number | null }): Promise<void> {
  await queryRows(
    tx,
    `UPDATE inbound_queue SET attempts = attempts + 1, last_error = :error,
       available_at = now() + make_interval(secs => :retrySeconds), failed_at = CASE WHEN :parked THEN now() END
     WHERE id = :id`,
    { id: input.id, error: input.error.slice(0, 1000), retrySeconds: (input.retryInMs ?? 0) / 1000, parked: input.retryInMs === null },
  );
}
