import type { Sequelize } from 'sequelize';
import { withScope } from '../../db/tenant-scope.js';
import type { Channel } from '../../ports/messaging.js';
import { claimDueOutboxRows, listAgencyIds } from './outbox-repository.js';
import type { SendJob } from './send-outbox-message.js';

export type RelayDeps = {
  sequelize: Sequelize;
  enqueue: (channel: Channel, job: SendJob) => Promise<void>;
  batchSize?: number;
  /** A row relayed this long ago and still present (message not final) is relayed again. */
  leaseSeconds?: number;
};

/**
 * One relay pass: due outbox rows go to their channel's queue. The rows are claimed with
 * FOR UPDATE SKIP LOCKED and stamped in the same transaction that enqueues them; if the process dies
 * between the enqueue and the commit, the next pass enqueues again under the same job id (a no-op).
 */
export async function relayDueMessages(deps: RelayDeps): Promise<number> {
  const agencyIds = await deps.sequelize.transaction((tx) => listAgencyIds(tx));
  let relayed = 0;
  for (const agencyId of agencyIds) {
    relayed += await withScope(deps.sequelize, { agencyId }, async (tx) => {
      const rows = await claimDueOutboxRows(tx, { agencyId, limit: deps.batchSize ?? 200, leaseSeconds: deps.leaseSeconds ?? 300 });
      await Promise.all(rows.map((row) => deps.enqueue(row.channel, { messageId: row.messageId, tenantId: row.tenantId, agencyId })));
      return rows.length;
    });
  }
  return relayed;
}
