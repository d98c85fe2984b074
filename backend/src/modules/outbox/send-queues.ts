import Bull from 'bull';
import type { Channel } from '../../ports/messaging.js';
import type { SendJob } from './send-outbox-message.js';

/** One bull queue per channel: a stuck WhatsApp provider never holds up SMS. */
export const sendQueueName = (channel: Channel) => `send:${channel}`;

/** Thrown by a processor to run the job again after `delayMs` (pacing, retry, Retry-After). */
export class RunJobLater extends Error {
  constructor(
    readonly delayMs: number,
    reason: string,
  ) {
    super(reason);
    this.name = 'RunJobLater';
  }
}

const LATER_STRATEGY = 'switchboard-later';

export type SendQueues = {
  queue(channel: Channel): Bull.Queue<SendJob>;
  /** Adds the job under the message id: a second add while the first is pending is a no-op. */
  add(channel: Channel, job: SendJob): Promise<void>;
  close(): Promise<void>;
};

export type SendQueueOptions = {
  redisUrl: string;
  /** Redis key prefix (tests use a private one). */
  prefix?: string;
  /** How long a job's lock lives without renewal; a crashed worker's job is picked up after it. */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
};

export function createSendQueues(options: SendQueueOptions): SendQueues {
  const queues = new Map<Channel, Bull.Queue<SendJob>>();
  const queue = (channel: Channel) => {
    let existing = queues.get(channel);
    if (!existing) {
      existing = new Bull<SendJob>(sendQueueName(channel), options.redisUrl, {
        prefix: options.prefix ?? 'sb',
        settings: {
          lockDuration: options.lockDurationMs ?? 30_000,
          stalledInterval: options.stalledIntervalMs ?? 15_000,
          // A job whose worker died repeatedly still comes back: the message row decides when to give up.
          maxStalledCount: 1_000,
          backoffStrategies: {
            // RunJobLater carries its own delay; anything else (database or Redis trouble) backs off.
            [LATER_STRATEGY]: (attemptsMade: number, err: Error) =>
              err instanceof RunJobLater ? Math.max(1, err.delayMs) : Math.min(60_000, 500 * 2 ** Math.min(attemptsMade, 7)),
          },
        },
      });
      queues.set(channel, existing);
    }
    return existing;
  };
  return {
    queue,
    async add(channel, job) {
      await queue(channel).add(job, {
        jobId: job.messageId,
        attempts: Number.MAX_SAFE_INTEGER,
        backoff: { type: LATER_STRATEGY },
        removeOnComplete: true,
        removeOnFail: true,
        stackTraceLimit: 1,
      });
    },
    async close() {
      await Promise.allSettled([...queues.values()].map((q) => q.close()));
    },
  };
}
