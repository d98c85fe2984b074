import type { Sequelize } from 'sequelize';
import { queryRows } from '../db/sql.js';
import { withScope } from '../db/tenant-scope.js';
import { listAgencyIds } from '../modules/outbox/outbox-repository.js';

export type QueueDepth = { queue: string; pending: number; oldestDueSeconds: number };
export type QueueDepths = { queues: QueueDepth[]; whatsappSessions: Array<{ state: string; sessions: number }> };

/**
 * Work the database still holds, per queue: how many items are pending and how long the oldest one
 * that is due has waited (items scheduled for later, e.g. quiet hours, are pending but not late).
 * Each branch uses the table's partial/due index.
 */
const DEPTHS_SQL = [
  ['outbox', 'message_outbox', 'available_at', 'TRUE'],
  ['inbound', 'inbound_queue', 'available_at', 'failed_at IS NULL'],
  ['agent_turns', 'agent_turns', 'due_at', "status IN ('waiting', 'running')"],
  ['event_relay', 'event_outbox', 'next_dispatch_at', 'dispatched_at IS NULL'],
  ['event_deliveries', 'event_deliveries', 'next_attempt_at', "status = 'pending'"],
]
  .map(([queue, table, due, pending]) =>
    `SELECT '${queue}' AS queue, count(*)::int AS pending,
       coalesce(extract(epoch FROM now() - min(${due}) FILTER (WHERE ${due} <= now())), 0)::float AS "oldestDueSeconds"
     FROM ${table} WHERE ${pending}`)
  .join('\nUNION ALL\n');

/**
 * Across every tenant: row-level security shows a transaction one agency at a time (as the worker's
 * relay loops read), so each agency is read in its own scope and the results are added up.
 */
export async function readQueueDepths(sequelize: Sequelize): Promise<QueueDepths> {
  const agencyIds = await sequelize.transaction((tx) => listAgencyIds(tx));
  const queues = new Map<string, QueueDepth>();
  const sessions = new Map<string, number>();
  for (const agencyId of agencyIds) {
    await withScope(sequelize, { agencyId }, async (tx) => {
      for (const row of await queryRows<QueueDepth>(tx, DEPTHS_SQL)) {
        const seen = queues.get(row.queue);
        queues.set(row.queue, {
          queue: row.queue,
          pending: (seen?.pending ?? 0) + row.pending,
          oldestDueSeconds: Math.max(seen?.oldestDueSeconds ?? 0, row.oldestDueSeconds),
        });
      }
      const states = await queryRows<{ state: string; sessions: number }>(tx, 'SELECT state, count(*)::int AS sessions FROM whatsapp_linked_devices GROUP BY state');
      for (const row of states) sessions.set(row.state, (sessions.get(row.state) ?? 0) + row.sessions);
    });
  }
  return { queues: [...queues.values()], whatsappSessions: [...sessions].map(([state, count]) => ({ state, sessions: count })) };
}
