import type { Container } from '../container.js';
import type { AdapterEntry } from '../adapters/messaging/registry.js';
import type { LoadCredentials } from '../modules/outbox/send-outbox-message.js';
import { startHeartbeat } from './heartbeat.js';
import { startPipeline } from './pipeline.js';

/** Starts everything a worker process runs; the returned stop finishes in-flight jobs and closes queues. */
export async function startWorker(
  container: Container,
  messaging: { adapters: AdapterEntry[]; loadCredentials: LoadCredentials },
): Promise<{ stop(): Promise<void> }> {
  await container.sequelize.authenticate();
  await container.redis.ping();
  const stopHeartbeat = startHeartbeat(container.redis, container.logger);
  const pipeline = startPipeline({
    sequelize: container.sequelize,
    redis: container.redis,
    redisUrl: container.config.redis.url,
    encryptionKey: container.config.secrets.encryptionKey,
    logger: container.logger,
    config: container.config.pipeline,
    ...messaging,
  });
  container.logger.info('switchboard worker started');
  return {
    async stop() {
      stopHeartbeat();
      await pipeline.stop();
      await container.close();
    },
  };
}
