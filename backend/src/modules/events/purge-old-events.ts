import type { Sequelize } from 'sequelize';
import { queryRows } from '../../db/sql.js';
import { withScope } from '../../db/tenant-scope.js';
import { listAgencyIds } from '../outbox/outbox-repository.js';

/**
 * Retention for the event bus: deliveries that reached a final state and dispatched events older than
 * `retentionDays` are deleted (the domain rows they describe stay). Pending deliveries are never touched,
 * and an event goes only once none of its deliveries is left. Batches keep each transaction short.
 */
export async function purgeOldEvents(deps: { sequelize: Sequelize; retentionDays: number; batchSize?: number }): Promise<number> {
  const agencyIds = await deps.sequelize.transaction((tx) => listAgencyIds(tx));
  const params = { days: deps.retentionDays, limit: deps.batchSize ?? 5_000 };
  let purged = 0;
  for (const agencyId of agencyIds) {
    purged += await withScope(deps.sequelize, { agencyId }, async (tx) => {
      const deliveries = await queryRows(
        tx,
        `DELETE FROM event_deliveries WHERE id IN (
           SELECT id FROM event_deliveries WHERE agency_id = :agencyId AND status IN ('delivered', 'failed')
             AND updated_at < now() - make_interval(days => :days) LIMIT :limit) RETURNING id`,
        { ...params, agencyId },
      );
      const events = await queryRows(
        tx,
        `DELETE FROM event_outbox e WHERE e.id IN (
           SELECT id FROM event_outbox WHERE agency_id = :agencyId AND dispatched_at IS NOT NULL
             AND occurred_at < now() - make_interval(days => :days) LIMIT :limit)
           AND NOT EXISTS (SELECT 1 FROM event_deliveries d WHERE d.event_id = e.id) RETURNING id`,
        { ...params, agencyId },
      );
      return deliveries.length + events.length;
    });
  }
  return purged;
}
