import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Sequelize } from 'sequelize';
import type { AdapterEntry } from '../../src/adapters/messaging/registry.js';
import type { PipelineConfig } from '../../src/config.js';
import { createSequelize } from '../../src/db/sequelize.js';
import { createLogger } from '../../src/logger.js';
import type { EventHandlers } from '../../src/modules/events/event-handlers.js';
import { startPipeline, type Pipeline } from '../../src/worker/pipeline.js';
import { testDatabase } from './integration-hooks.js';
import { TEST_REDIS_KEY_PREFIX, TEST_REDIS_URL } from './test-database.js';

export const TEST_ENCRYPTION_KEY = randomBytes(32);

/** A worker's pipeline in this process, as the app role, with its own Redis key prefix and fast timings. */
export type TestPipeline = Pipeline & { sequelize: Sequelize; redis: Redis; redisUrl: string };

export function startTestPipeline(input: {
  adapters: AdapterEntry[];
  config?: Partial<PipelineConfig>;
  handlers?: EventHandlers;
  credentials?: unknown;
  /** Pipelines given the same key share queues and pacing, like worker processes on one Redis. */
  sharedRedisKey?: string;
}): TestPipeline {
  const url = new URL(TEST_REDIS_URL);
  url.searchParams.set('keyPrefix', `${TEST_REDIS_KEY_PREFIX}pipeline-${input.sharedRedisKey ?? randomBytes(3).toString('hex')}:`);
  const redisUrl = url.toString();
  const logger = createLogger({ logLevel: process.env.PIPELINE_TEST_LOG ? 'debug' : 'silent' });
  const sequelize = createSequelize(testDatabase().appUrl, logger, { poolMax: 10 });
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
  const pipeline = startPipeline({
    sequelize,
    redis,
    redisUrl,
    encryptionKey: TEST_ENCRYPTION_KEY,
    logger,
    config: {
      concurrency: 10,
      pollMs: 50,
      relayLeaseSeconds: 300,
      jobLockMs: 30_000,
      maxAttempts: 4,
      retryBaseMs: 50,
      queuePrefix: 'sb',
      webhookTimeoutMs: 2_000,
      eventRetentionDays: 30,
      ...input.config,
    },
    adapters: input.adapters,
    loadCredentials: async () => input.credentials ?? { accountSid: 'AC-test' },
    handlers: input.handlers,
  });
  return {
    ...pipeline,
    sequelize,
    redis,
    redisUrl,
    async stop() {
      await pipeline.stop();
      redis.disconnect();
      await sequelize.close();
    },
  };
}
