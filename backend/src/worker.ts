import { loadConfig } from './config.js';
import { createContainer } from './container.js';
import { exitOnStartupError, onShutdown } from './lifecycle.js';
import { startHeartbeat } from './worker/heartbeat.js';

// The worker runs queue processors and long-lived channel connections (added by the messaging issues).
async function main(): Promise<void> {
  const config = loadConfig();
  const container = createContainer(config, 'switchboard-worker');
  await container.sequelize.authenticate();
  await container.redis.ping();
  const stopHeartbeat = startHeartbeat(container.redis);
  container.logger.info('switchboard worker started');
  onShutdown(container.logger, async () => {
    stopHeartbeat();
    await container.close();
  });
}

main().catch(exitOnStartupError);
