import type { Transaction } from 'sequelize';
import { queryRows } from '../../db/sql.js';

export type QueueName = 'outbox' | 'inbound' | 'agent_turns' | 'event_relay' | 'webhook_deliveries';
export type QueueBacklog = { name: QueueName; pending: number; oldestAgeSeconds: number | null };

// What each queue owes right now and how long its oldest item has waited. "Pending" means due: a message
// deferred to the tenant's opening hours, or an inbound delivery waiting out its retry delay, has not
// waited yet. Parked and failed items are dead letters (see dead-letter-repository.ts), not backlog.
const BACKLOG_SQL = `
  SELECT 'outbox' AS name, count(*)::int AS pending, extract(epoch FROM now() - min(available_at))::int AS "oldestAgeSeconds"
    FROM message_outbox WHERE agency_id = :agencyId AND available_at <= now()
  UNION ALL
  SELECT 'inbound', count(*)::int, extract(epoch FROM now() - min(created_at))::int
    FROM inbound_queue WHERE agency_id = :agencyId AND failed_at IS NULL
  UNION ALL
  SELECT 'agent_turns', count(*)::int, extract(epoch FROM now() - min(due_at))::int
    FROM agent_turns WHERE agency_id = :agencyId AND status IN ('waiting', 'running') AND due_at <= now()
  UNION ALL
  SELECT 'event_relay', count(*)::int, extract(epoch FROM now() - min(occurred_at))::int
    FROM event_outbox WHERE agency_id = :agencyId AND dispatched_at IS NULL
  UNION ALL
  SELECT 'webhook_deliveries', count(*)::int, extract(epoch FROM now() - min(created_at))::int
    FROM event_deliveries WHERE agency_id = :agencyId AND status = 'pending'`;

/** The agency's backlog per queue (all its tenants); run at agency scope. */
export async function selectQueueBacklogs(tx: Transaction, where: { agencyId: string }): Promise<QueueBacklog[]> {
  const rows = await queryRows<QueueBacklog>(tx, BACKLOG_SQL, where);
  return rows.map((row) => ({ ...row, oldestAgeSeconds: row.oldestAgeSeconds === null ? null : Math.max(0, Number(row.oldestAgeSeconds)) }));
}
