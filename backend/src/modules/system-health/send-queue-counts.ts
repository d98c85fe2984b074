import type { Redis } from 'ioredis';
import { CHANNELS, type Channel } from '../../ports/messaging.js';
import { sendQueueName } from '../outbox/send-queues.js';

export type SendQueueCounts = { channel: Channel; waiting: number; active: number; delayed: number; failed: number };

/**
 * The per-channel bull send queues, counted straight from bull's Redis keys (no queue object, so the API opens
 * no extra connections). Installation-wide: the queues are shared by every agency on this server.
 */
export async function countSendQueues(redis: Redis, prefix: string): Promise<SendQueueCounts[]> {
  const pipeline = redis.pipeline();
  for (const channel of CHANNELS) {
    const key = `${prefix}:${sendQueueName(channel)}`;
    pipeline.llen(`${key}:wait`).llen(`${key}:active`).zcard(`${key}:delayed`).zcard(`${key}:failed`);
  }
  const answers = (await pipeline.exec()) ?? [];
  const value = (i: number) => {
    const [err, count] = answers[i] ?? [null, 0];
    if (err) throw err;
    return Number(count);
  };
  return CHANNELS.map((channel, c) => ({ channel, waiting: value(c * 4), active: value(c * 4 + 1), delayed: value(c * 4 + 2), failed: value(c * 4 + 3) }));
}
