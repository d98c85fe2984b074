import type Bull from 'bull';
import { runWithLogContext } from '../log-context.js';
import type { Logger } from '../logger.js';
import { messageSendFailures, messagesSent } from '../metrics/metrics.js';
import type { Channel } from '../ports/messaging.js';
import { sendOutboxMessage, type SendAttemptOutcome, type SendDeps, type SendJob } from '../modules/outbox/send-outbox-message.js';
import { RunJobLater, type SendQueues } from '../modules/outbox/send-queues.js';

/** Processes a channel's send queue: each job is one run of sendOutboxMessage; "later" becomes a delayed retry. */
export function processSendQueue(queues: SendQueues, channel: Channel, deps: SendDeps, concurrency: number, logger: Logger): Bull.Queue<SendJob> {
  const queue = queues.queue(channel);
  const counted: SendDeps = { ...deps, onSendOutcome: countSendOutcome };
  void queue.process(concurrency, (job: Bull.Job<SendJob>) =>
    // Every line logged while sending carries the job and the tenant it sends for.
    runWithLogContext({ job: queue.name, jobId: String(job.id), agencyId: job.data.agencyId, tenantId: job.data.tenantId }, async () => {
      const outcome = await sendOutboxMessage(counted, job.data);
      if (outcome.kind === 'later') throw new RunJobLater(outcome.delayMs, outcome.reason);
      return outcome.result;
    }));
  queue.on('failed', (job, err) => {
    if (!(err instanceof RunJobLater)) logger.warn({ job: queue.name, jobId: String(job.id), tenantId: job.data.tenantId, messageId: job.data.messageId, err: err.message }, 'send job error; retrying');
  });
  queue.on('error', (err) => logger.warn({ channel, err: err.message }, 'send queue error'));
  return queue;
}

function countSendOutcome({ channel, provider, outcome, errorCode }: SendAttemptOutcome): void {
  if (outcome === 'sent') messagesSent.inc({ channel, provider });
  else messageSendFailures.inc({ channel, provider, code: errorCode ?? 'unknown', outcome });
}
