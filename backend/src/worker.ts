import { selectMessaging } from './adapters/messaging/select-messaging.js';
import { loadConfig } from './config.js';
import { createContainer } from './container.js';
import { scopeRunner } from './db/tenant-scope.js';
import { exitOnStartupError, onShutdown } from './lifecycle.js';
import { startWorker } from './worker/start-worker.js';

// The worker runs queue processors (send pipeline, event relay) and, later, long-lived channel connections.
async function main(): Promise<void> {
  const config = loadConfig();
  const container = createContainer(config, 'switchboard-worker');
  // Every loop and queue here retries by itself (the database or Redis may be back on the next pass): a stray
  // rejection, typically a dependency outage, is logged loudly instead of killing the jobs in flight.
  process.on('unhandledRejection', (reason) =>
    container.logger.error({ err: reason instanceof Error ? reason.message : String(reason) }, 'unhandled rejection; the worker keeps running'));
  const worker = await startWorker(container, selectMessaging(config, scopeRunner(container.sequelize)));
  onShutdown(container.logger, () => worker.stop(), 30_000);
}

main().catch(exitOnStartupError);
