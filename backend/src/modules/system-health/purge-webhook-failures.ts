import type { Sequelize } from 'sequelize';
import { withScope } from '../../db/tenant-scope.js';
import { listAgencyIds } from '../outbox/outbox-repository.js';
import { deleteOldWebhookFailures } from './health-repository.js';

/** Rejected-signature notes are kept 30 days (the System health page shows the last 24 hours). */
export const WEBHOOK_FAILURE_RETENTION_DAYS = 30;

export async function purgeOldWebhookFailures(deps: { sequelize: Sequelize; batchSize?: number }): Promise<number> {
  const agencyIds = await deps.sequelize.transaction((tx) => listAgencyIds(tx));
  let purged = 0;
  for (const agencyId of agencyIds) {
    purged += await withScope(deps.sequelize, { agencyId }, (tx) =>
      deleteOldWebhookFailures(tx, { days: WEBHOOK_FAILURE_RETENTION_DAYS, limit: deps.batchSize ?? 5_000 }));
  }
  return purged;
}
