import type { Sequelize } from 'sequelize';
import { withScope } from '../../db/tenant-scope.js';
import { AppError } from '../../http/errors.js';
import { runWithLogContext } from '../../log-context.js';
import type { Logger } from '../../logger.js';
import { listAgencyIds } from '../outbox/outbox-repository.js';
import { retryDelayMs, type RetryPolicy } from '../outbox/retry-policy.js';
import type { MessagingDeps } from '../messages/messaging-deps.js';
import { receiveInbound } from '../messages/receive-inbound.js';
import { claimQueuedInbound, deferQueuedInbound, deleteQueuedInbound, type QueuedInbound } from './inbound-queue-repository.js';

export type InboundProcessorDeps = {
  sequelize: Sequelize;
  messaging: MessagingDeps;
  logger: Logger;
  retry: RetryPolicy;
  batchSize?: number;
  /** Senders processed at once (one sender's messages always in order: STOP then START must stay that way). */
  concurrency?: number;
};

/**
 * One pass over the queued deliveries: each becomes a stored message (receiveInbound: contact,
 * conversation, keywords, message.received) and leaves the queue in the claiming transaction. A crash
 * between the two re-processes the row; receiveInbound finds the message by provider id and adds nothing.
 * Failures are retried with backoff; invalid input and the last attempt park the row with its error.
 */
export async function processQueuedInbound(deps: InboundProcessorDeps): Promise<number> {
  const agencyIds = await deps.sequelize.transaction((tx) => listAgencyIds(tx));
  let processed = 0;
  for (const agencyId of agencyIds) {
    processed += await withScope(deps.sequelize, { agencyId }, async (tx) => {
      const rows = await claimQueuedInbound(tx, { agencyId, limit: deps.batchSize ?? 100 });
      const done: string[] = [];
      await forEachSender(rows, deps.concurrency ?? 4, (row) => runWithLogContext({ jobId: row.id, agencyId, tenantId: row.message.tenantId }, async () => {
        try {
          await receiveInbound(deps.messaging, row.message);
          done.push(row.id);
        } catch (err) {
          // Invalid input (a 4xx AppError) will never process; a dependency outage (5xx) is retried like any error.
          const permanent = (err instanceof AppError && err.status < 500) || row.attempts + 1 >= deps.retry.maxAttempts;
          deps.logger.warn({ inboundId: row.id, provider: row.message.provider, attempt: row.attempts + 1, permanent, err: (err as Error).message }, 'inbound message not processed');
          await deferQueuedInbound(tx, { id: row.id, error: (err as Error).message, retryInMs: permanent ? null : retryDelayMs(deps.retry, row.attempts + 1) });
        }
      }));
      await deleteQueuedInbound(tx, done);
      return rows.length;
    });
  }
  return processed;
}

/** Runs `work` over the rows with at most `concurrency` senders at a time, each sender's rows in order. */
async function forEachSender(rows: QueuedInbound[], concurrency: number, work: (row: QueuedInbound) => Promise<void>): Promise<void> {
  const bySender = new Map<string, QueuedInbound[]>();
  for (const row of rows) {
    const key = `${row.message.tenantId}:${row.message.channel}:${row.message.from}`;
    bySender.set(key, [...(bySender.get(key) ?? []), row]);
  }
  const lanes = [...bySender.values()];
  const runLane = async (): Promise<void> => {
    for (let lane = lanes.shift(); lane; lane = lanes.shift()) {
      for (const row of lane) await work(row);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, lanes.length) }, runLane));
}
