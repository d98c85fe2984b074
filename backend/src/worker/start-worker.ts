import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Container } from '../container.js';
import type { LinkedDeviceSocketFactory } from '../ports/whatsapp-linked-device.js';
import type { AdapterEntry } from '../adapters/messaging/registry.js';
import type { LoadCredentials } from '../modules/outbox/send-outbox-message.js';
import { startHeartbeat } from './heartbeat.js';
import { startPipeline } from './pipeline.js';
import { scopeRunner } from '../db/tenant-scope.js';
import { waitForDatabase } from '../db/wait-for-database.js';
import { receiveInbound } from '../modules/messages/receive-inbound.js';
import { enqueueOutbox } from '../modules/outbox/enqueue-outbox.js';
import { pollTelegramUpdates } from '../modules/telegram/poll-telegram-updates.js';
import { startPollingLoop } from './polling-loop.js';
import { evaluateSystemAlerts } from '../modules/system-health/evaluate-alerts.js';
import { startAgentRuntime } from '../modules/agent-runtime/start-agent-runtime.js';
import { eventHandlers } from '../modules/events/event-handlers.js';
import { BaileysMessaging } from '../adapters/messaging/baileys.js';
import { baileysSocketFactory } from '../adapters/whatsapp/baileys-linked-device.js';
import { applyProviderStatus } from '../modules/messages/apply-provider-status.js';
import { LinkedDeviceSessions } from '../modules/whatsapp-linked/linked-device-sessions.js';
import { metricsAddress, startOptionalMetricsServer } from '../metrics/metrics-server.js';
import { reconcileSubscriptions } from '../modules/subscriptions/reconcile-subscriptions.js';
import { announceRestrictions } from '../modules/subscriptions/announce-restrictions.js';
import { queueMetricsRegistry } from '../metrics/queue-metrics.js';

/** Baileys, unless WHATSAPP_SOCKET_MODULE names another implementation of the port (the e2e tests' fake network). */
async function linkedDeviceSocketFactory(container: Container): Promise<LinkedDeviceSocketFactory> {
  const path = container.config.whatsappLinked.socketModule;
  if (!path) return baileysSocketFactory(container.logger);
  const module = (await import(pathToFileURL(resolve(path)).href)) as { createLinkedDeviceSocketFactory?: () => LinkedDeviceSocketFactory };
  if (typeof module.createLinkedDeviceSocketFactory !== 'function') throw new Error(`WHATSAPP_SOCKET_MODULE ${path} does not export createLinkedDeviceSocketFactory()`);
  container.logger.warn({ module: path }, 'WhatsApp linked devices use a replacement socket module, not Baileys');
  return module.createLinkedDeviceSocketFactory();
}

/** Starts everything a worker process runs; the returned stop finishes in-flight jobs and closes queues. */
export async function startWorker(
  container: Container,
  messaging: { adapters: AdapterEntry[]; loadCredentials: LoadCredentials },
): Promise<{ stop(): Promise<void> }> {
  await waitForDatabase(container.sequelize, container.logger);
  await container.redis.ping();
  const stopHeartbeat = startHeartbeat(container.redis, container.logger);
  const messagingDeps = { runInScope: scopeRunner(container.sequelize), events: container.events, enqueueOutbox };
  // WhatsApp linked devices (Baileys): the sessions live in the worker, which also sends through them.
  const linkedDevices = new LinkedDeviceSessions({
    sequelize: container.sequelize, runInScope: messagingDeps.runInScope, redis: container.redis, events: container.events,
    factory: await linkedDeviceSocketFactory(container), encryptionKey: container.config.secrets.encryptionKey, logger: container.logger,
    prefix: container.config.pipeline.queuePrefix, acceptInbound: (inbound) => receiveInbound(messagingDeps, inbound),
    applyStatus: (update) => applyProviderStatus(messagingDeps, update),
  });
  // AI agents answer message.received: their handler is registered before the event relay starts.
  const handlers = eventHandlers();
  const agents = startAgentRuntime(container, handlers);
  const pipeline = startPipeline({
    handlers,
    sequelize: container.sequelize,
    redis: container.redis,
    redisUrl: container.config.redis.url,
    encryptionKey: container.config.secrets.encryptionKey,
    logger: container.logger,
    config: container.config.pipeline,
    ...messaging,
    adapters: [...messaging.adapters, { provider: 'baileys', port: new BaileysMessaging(linkedDevices) }],
  });
  await linkedDevices.start();
  // Bots connected in long-polling mode (no public HTTPS URL): their updates are fetched here, every second.
  const telegramPolling = startPollingLoop('telegram-polling', 1_000, () =>
    pollTelegramUpdates({
      ...messagingDeps, sequelize: container.sequelize, admin: container.telegramAdmin, logger: container.logger,
      encryptionKey: container.config.secrets.encryptionKey, acceptInbound: (inbound) => receiveInbound(messagingDeps, inbound),
    }),
  container.logger);
  // Queue depths are served by the worker only (see queue-metrics.ts); the API serves its own HTTP metrics.
  const address = metricsAddress(container.config.metrics, 'worker');
  const metrics = address && (await startOptionalMetricsServer({
    ...address, logger: container.logger,
    extra: [queueMetricsRegistry({ sequelize: container.sequelize, bullQueues: pipeline.sendQueues, logger: container.logger })],
  }));
  // System alerts (stuck queues, logged-out WhatsApp, backup, disk): checked every minute, mailed to agency owners.
  const systemAlerts = startPollingLoop('system-alerts', 60_000, () =>
    evaluateSystemAlerts({
      sequelize: container.sequelize, events: container.events, mail: container.mail, logger: container.logger,
      portalUrl: container.config.portalUrl, config: container.config.systemHealth,
    }),
  container.logger);
  // Stripe-billed subscriptions compared with Stripe once a day (first pass at start), drift repaired and audited.
  const subscriptionDeps = {
    runInScope: messagingDeps.runInScope, events: container.events, mail: container.mail, logger: container.logger,
    encryptionKey: container.config.secrets.encryptionKey, portalUrl: container.config.portalUrl,
    billing: { port: container.billing, fallbackSecretKey: container.config.stripe.secretKey, fallbackWebhookSecret: container.config.stripe.webhookSecret },
  };
  const billingReconcile = startPollingLoop('billing-reconcile', 24 * 3_600_000, async () => {
    const report = await reconcileSubscriptions(subscriptionDeps);
    if (report.checked > 0) container.logger.info(report, 'billing reconcile');
    return 0; // never "more work": one pass a day
  }, container.logger);
  // Past-due tenants whose grace ran out: subscription.restricted published once (hourly).
  const billingGrace = startPollingLoop('billing-grace', 3_600_000, async () => (await announceRestrictions(subscriptionDeps), 0), container.logger);
  container.logger.info('switchboard worker started');
  return {
    async stop() {
      await metrics?.close();
      stopHeartbeat();
      await systemAlerts.stop();
      await billingReconcile.stop();
      await billingGrace.stop();
      await telegramPolling.stop();
      await agents.stop();
      await linkedDevices.stop();
      await pipeline.stop();
      await container.close();
    },
  };
}
