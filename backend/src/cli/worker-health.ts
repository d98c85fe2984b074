// Exit 0 when the worker's heartbeat is fresh: the compose healthcheck of the `worker` service.
import { loadConfig } from '../config.js';
import { createRedis } from '../infra/redis.js';
import { lastHeartbeatAgeMs } from '../worker/heartbeat.js';

const maxAgeMs = 30_000;
const redis = createRedis(loadConfig().redis.url, { maxRetriesPerRequest: 1 });
const age = await lastHeartbeatAgeMs(redis).finally(() => redis.disconnect());
if (age === undefined || age > maxAgeMs) {
  console.error(age === undefined ? 'no worker heartbeat' : `worker heartbeat is ${age} ms old`);
  process.exit(1);
}
console.log(`worker alive (heartbeat ${age} ms ago)`);
