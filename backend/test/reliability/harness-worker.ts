import { loadConfig } from '../../src/config.js';
import { createContainer } from '../../src/container.js';
import { exitOnStartupError, onShutdown } from '../../src/lifecycle.js';
import { startWorker } from '../../src/worker/start-worker.js';
import { HttpCountingMessaging } from './http-counting-messaging.js';

// src/worker.ts with one difference: SMS goes to the reliability run's counting provider
// (FAKE_PROVIDER_URL) instead of the installation's configured adapters.
async function main(): Promise<void> {
  const config = loadConfig();
  const container = createContainer(config, `reliability-worker-${process.pid}`);
  const port = new HttpCountingMessaging(process.env.FAKE_PROVIDER_URL!, { messagesPerSecond: Number(process.env.FAKE_PROVIDER_MPS ?? 20) });
  const worker = await startWorker(container, { adapters: [{ provider: 'counting', port }], loadCredentials: async () => ({}) });
  onShutdown(container.logger, () => worker.stop(), 30_000);
}

main().catch(exitOnStartupError);
