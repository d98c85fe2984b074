import type Bull from 'bull';
import type { Logger } from '../logger.js';
import type { Channel } from '../ports/messaging.js';
import { sendOutboxMessage, type SendDeps, type SendJob } from '../modules/outbox/send-outbox-message.js';
import { RunJobLater, type SendQueues } from '../modules/outbox/send-queues.js';

/** Processes a channel's send queue: each job is one run of sendOutboxMessage; "later" becomes a delayed retry. */
export function processSendQueue(queues: SendQueues, channel: Channel, deps: SendDeps, concurrency: number, logger: Logger): Bull.Queue<SendJob> {
  const queue = queues.queue(channel);
  void queue.process(concurrency, async (job: Bull.Job<SendJob>) => {
    const outcome = await sendOutboxMessage(deps, job.data);
    if (outcome.kind === 'later') throw new RunJobLater(outcome.delayMs, outcome.reason);
    return outcome.result;
  });
  queue.on('failed', (job, err) => {
    if (!(err instanceof RunJobLater)) logger.warn({ messageId: job.data.messageId, err: err.message }, 'send job error; retrying');
  });
  queue.on('error', (err) => logger.warn({ channel, err: err.message }, 'send queue error'));
  return queue;
}
