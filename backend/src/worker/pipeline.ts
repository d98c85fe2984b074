import type Bull from 'bull';
import type { Redis } from 'ioredis';
import type { Sequelize } from 'sequelize';
import type { AdapterEntry } from '../adapters/messaging/registry.js';
import { messagingAdapters } from '../adapters/messaging/registry.js';
import type { PipelineConfig } from '../config.js';
import { scopeRunner } from '../db/tenant-scope.js';
import type { Logger } from '../logger.js';
import { deliverDueWebhooks } from '../modules/events/deliver-webhooks.js';
import { dispatchPendingEvents } from '../modules/events/dispatch-events.js';
import { purgeOldEvents } from '../modules/events/purge-old-events.js';
import { purgeOldWebhookFailures } from '../modules/system-health/purge-webhook-failures.js';
import { eventHandlers, type EventHandlers } from '../modules/events/event-handlers.js';
import { outboxEventBus } from '../modules/events/publish-event.js';
import { confirmSendPolicy } from '../modules/messages/confirm-send-policy.js';
import { processQueuedInbound } from '../modules/inbound/process-queued-inbound.js';
import { enqueueOutbox } from '../modules/outbox/enqueue-outbox.js';
import { relayDueMessages } from '../modules/outbox/relay-outbox.js';
import { DEFAULT_RETRY_POLICY } from '../modules/outbox/retry-policy.js';
import type { LoadCredentials, SendJob } from '../modules/outbox/send-outbox-message.js';
import { createSendQueues } from '../modules/outbox/send-queues.js';
import { redisSenderPacer } from '../modules/outbox/sender-pacing.js';
import { startPollingLoop } from './polling-loop.js';
import { processSendQueue } from './send-processor.js';

export type PipelineDeps = {
  sequelize: Sequelize;
  redis: Redis;
  redisUrl: string;
  encryptionKey: Buffer;
  logger: Logger;
  config: PipelineConfig;
  adapters: readonly AdapterEntry[];
  loadCredentials: LoadCredentials;
  handlers?: EventHandlers;
};

export type Pipeline = {
  handlers: EventHandlers;
  /** The send queues this process works (one per channel with an adapter), for the metrics. */
  sendQueues(): Bull.Queue<SendJob>[];
  stop(): Promise<void>;
};

/**
 * The worker's messaging machinery: outbox relay -> per-channel send queues -> send processors,
 * and the event relay -> internal handlers + signed webhook deliveries. Every worker process runs
 * all of it; the database (SKIP LOCKED) and bull (job ids, locks) keep them from doing work twice.
 */
export function startPipeline(deps: PipelineDeps): Pipeline {
  const { config, logger } = deps;
  const queues = createSendQueues({
    redisUrl: deps.redisUrl,
    prefix: config.queuePrefix,
    lockDurationMs: config.jobLockMs,
    stalledIntervalMs: Math.min(config.jobLockMs, 15_000),
  });
  const retry = { ...DEFAULT_RETRY_POLICY, maxAttempts: config.maxAttempts, baseDelayMs: config.retryBaseMs };
  const registry = messagingAdapters(deps.adapters);
  const runInScope = scopeRunner(deps.sequelize);
  const events = outboxEventBus(deps.sequelize);
  const messaging = { runInScope, events, enqueueOutbox };
  const sendDeps = {
    runInScope,
    events,
    confirmSend: async (job: SendJob) => {
      const clearance = await confirmSendPolicy(messaging, { agencyId: job.agencyId, tenantId: job.tenantId, messageId: job.messageId });
      return clearance.action === 'send' ? { action: 'send' as const, status: clearance.message.status } : { action: clearance.action };
    },
    adapters: registry,
    loadCredentials: deps.loadCredentials,
    pacer: redisSenderPacer(deps.redis, `${config.queuePrefix}:pacing`),
    retry,
    maxInlinePacingWaitMs: 2_000,
    logger,
  };
  // Only channels something can send on get a processor; other channels' jobs wait for an adapter.
  const channels = [...new Set(deps.adapters.map((entry) => entry.port.channel))];
  for (const channel of channels) processSendQueue(queues, channel, sendDeps, config.concurrency, logger);

  const handlers = deps.handlers ?? eventHandlers();
  const loops = [
    startPollingLoop('outbox-relay', config.pollMs, () =>
      relayDueMessages({ sequelize: deps.sequelize, enqueue: queues.add, leaseSeconds: config.relayLeaseSeconds }),
    logger),
    // A person is waiting for an answer: inbound is polled more often than the other loops.
    startPollingLoop('inbound', Math.min(config.pollMs, 200), () =>
      processQueuedInbound({ sequelize: deps.sequelize, messaging, logger, retry: { ...retry, maxAttempts: Math.max(retry.maxAttempts, 10) } }),
    logger),
    startPollingLoop('event-relay', config.pollMs, () => dispatchPendingEvents({ sequelize: deps.sequelize, handlers, logger, retry }), logger),
    startPollingLoop('webhook-delivery', config.pollMs, () =>
      deliverDueWebhooks({ sequelize: deps.sequelize, encryptionKey: deps.encryptionKey, logger, retry, timeoutMs: config.webhookTimeoutMs, shortcuts: config.deliveryShortcuts }),
    logger),
    // Hourly; a pass that purged a full batch runs again at once (the loop's rule), so a backlog drains.
    startPollingLoop('event-retention', 3_600_000, async () =>
      (await purgeOldEvents({ sequelize: deps.sequelize, retentionDays: config.eventRetentionDays })) + (await purgeOldWebhookFailures({ sequelize: deps.sequelize })),
    logger),
  ];
  logger.info({ channels }, 'send pipeline started');
  return {
    handlers,
    sendQueues: () => channels.map((channel) => queues.queue(channel)),
    async stop() {
      await Promise.all(loops.map((loop) => loop.stop()));
      // Queue.close waits for the jobs in flight in this process to finish (graceful shutdown).
      await queues.close();
    },
  };
}
