import type { Transaction } from 'sequelize';
import type { MessagingAdapters } from '../../adapters/messaging/registry.js';
import type { RunInScope } from '../../db/tenant-scope.js';
import type { Logger } from '../../logger.js';
import type { EventBus } from '../../ports/events.js';
import { ProviderError, type MessagingPort } from '../../ports/messaging.js';
import {
  claimSendAttempt,
  findMessageForSend,
  markFinalFailure,
  markRetryPending,
  markSent,
  type SendableMessage,
} from './message-send-repository.js';
import { deleteOutboxRow } from './outbox-repository.js';
import { retryDelayMs, type RetryPolicy } from './retry-policy.js';
import { findConfiguredPacing, senderKey, type SenderPacer } from './sender-pacing.js';

export type LoadCredentials = (tenantId: string, provider: string) => Promise<unknown>;

/**
 * The send policy asked again right before a fresh attempt (modules/messages confirmSendPolicy):
 * send (with the status the message now has), wait (the domain moved the outbox row), or skip (denied).
 */
export type ConfirmSend = (job: SendJob) => Promise<{ action: 'send'; status: string } | { action: 'wait' } | { action: 'skip' }>;

export type SendDeps = {
  runInScope: RunInScope;
  adapters: MessagingAdapters;
  loadCredentials: LoadCredentials;
  pacer: SenderPacer;
  retry: RetryPolicy;
  /** Longest pacing wait spent inside the job; longer waits hand the job back to the queue, delayed. */
  maxInlinePacingWaitMs: number;
  logger: Logger;
  confirmSend?: ConfirmSend;
  /** message.status for the pipeline's own transitions (sent, failed, dead). */
  events?: EventBus;
  sleep?: (ms: number) => Promise<void>;
  /** Told the outcome of every provider call and every final failure (the worker counts them for /metrics). */
  onSendOutcome?: (outcome: SendAttemptOutcome) => void;
};

/** sent; retry (tried again later); unknown (the provider may have it: reconciled next run); failed/dead (final). */
export type SendAttemptOutcome = {
  channel: string;
  provider: string;
  outcome: 'sent' | 'retry' | 'unknown' | 'failed' | 'dead';
  errorCode?: string;
};

export type SendJob = { messageId: string; tenantId: string; agencyId: string };

/** done: nothing more to do for this job. later: run the job again after delayMs. */
export type SendOutcome = { kind: 'done'; result: string } | { kind: 'later'; delayMs: number; reason: string };

/**
 * Sends are spaced 2% wider than the provider's rate: a timer fires a few ms late, never early, so at the
 * exact rate one late send and one punctual send could still put N+1 sends into some second.
 */
const PACING_MARGIN = 1.02;

const SENDABLE = new Set(['queued', 'deferred', 'sending']);
const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * One run of a send job. A message in `sending` means an earlier attempt never learned its outcome
 * (a crash mid-call): the provider is asked first, and the message is only sent again if it has
 * nothing. Each attempt is committed as `sending` before the provider is called.
 */
export async function sendOutboxMessage(deps: SendDeps, job: SendJob): Promise<SendOutcome> {
  const scope = { agencyId: job.agencyId, tenantId: job.tenantId };
  const loaded = await deps.runInScope(scope, async (tx) => {
    const message = await findMessageForSend(tx, job.messageId);
    if (!message || !SENDABLE.has(message.status)) await deleteOutboxRow(tx, job.messageId);
    const pacing = message && (await findConfiguredPacing(tx, { ...message.outbound }));
    return message && { message, pacing };
  });
  if (!loaded) return { kind: 'done', result: 'missing' };
  let { message } = loaded;
  if (!SENDABLE.has(message.status)) return { kind: 'done', result: `already ${message.status}` };
  if (message.status !== 'sending' && deps.confirmSend) {
    const clearance = await deps.confirmSend(job);
    if (clearance.action === 'wait') return { kind: 'done', result: 'deferred by policy' };
    if (clearance.action === 'skip') {
      await deps.runInScope(scope, (tx) => deleteOutboxRow(tx, job.messageId));
      return { kind: 'done', result: 'skipped by policy' };
    }
    message = { ...message, status: clearance.status };
  }

  const adapter = deps.adapters.resolve(message.channel, message.provider);
  if (!adapter) return finalFailure(deps, job, message, 'failed', 'no_adapter', `No ${message.channel} adapter is configured`);
  const credentials = await deps.loadCredentials(job.tenantId, adapter.provider);
  if (credentials === undefined) {
    return finalFailure(deps, job, message, 'failed', 'no_credentials', `No ${adapter.provider} credentials for this tenant`);
  }

  if (message.status === 'sending') {
    const found = await reconcile(deps, job, message, adapter, credentials);
    if (found) return found;
  }
  if (message.attempts >= deps.retry.maxAttempts) {
    return finalFailure(deps, job, message, 'dead', 'attempts_exhausted', `Gave up after ${message.attempts} attempts`);
  }

  const key = senderKey(message.outbound);
  const messagesPerSecond = loaded.pacing ?? adapter.port.defaultPacing.messagesPerSecond;
  const intervalMs = (1000 / messagesPerSecond) * PACING_MARGIN;
  const recipient = adapter.port.recipientPacing && {
    key: `${key}:to:${message.outbound.to}`, intervalMs: (1000 / adapter.port.recipientPacing.messagesPerSecond) * PACING_MARGIN,
  };
  for (const pace of [...(recipient ? [recipient] : []), { key, intervalMs }]) {
    const slot = await deps.pacer.reserve(pace.key, pace.intervalMs, deps.maxInlinePacingWaitMs);
    if (!slot.reserved) return { kind: 'later', delayMs: slot.waitMs, reason: 'pacing' };
    if (slot.waitMs > 0) await (deps.sleep ?? defaultSleep)(slot.waitMs);
  }

  const claimed = await deps.runInScope(scope, (tx) =>
    claimSendAttempt(tx, { messageId: message.id, status: message.status, attempts: message.attempts, provider: adapter.provider }),
  );
  if (!claimed) return { kind: 'done', result: 'claimed elsewhere' };
  // The chat's pace first, then the sender's, each waited out before the next is recorded.
  for (const pace of [...(recipient ? [recipient] : []), { key, intervalMs }]) {
    const lateByMs = await deps.pacer.confirm(pace.key, pace.intervalMs);
    if (lateByMs > 0) await (deps.sleep ?? defaultSleep)(lateByMs);
  }
  return attemptSend(deps, job, { ...message, attempts: message.attempts + 1 }, adapter, credentials, key);
}

type Adapter = { provider: string; port: MessagingPort };

async function reconcile(deps: SendDeps, job: SendJob, message: SendableMessage, adapter: Adapter, credentials: unknown) {
  try {
    const lookup = await adapter.port.findSent(message.outbound, credentials);
    if (!lookup) return undefined;
    deps.logger.info({ messageId: message.id, providerMessageId: lookup.providerMessageId }, 'reconciled: the provider already has it');
    await deps.runInScope({ agencyId: job.agencyId, tenantId: job.tenantId }, async (tx) => {
      if (await markSent(tx, { messageId: message.id, provider: adapter.provider, providerMessageId: lookup.providerMessageId, from: lookup.from })) {
        await publishStatus(deps, tx, job, { messageId: message.id, status: 'sent', provider: adapter.provider, providerMessageId: lookup.providerMessageId });
      }
      await deleteOutboxRow(tx, message.id);
    });
    return { kind: 'done', result: 'reconciled' } as const;
  } catch (err) {
    // Without an answer we must not send again: try the lookup later.
    const delayMs = retryDelayMs(deps.retry, message.attempts);
    deps.logger.warn({ messageId: message.id, err: (err as Error).message }, 'reconcile lookup failed');
    return { kind: 'later', delayMs, reason: 'reconcile lookup failed' } as const;
  }
}

async function attemptSend(
  deps: SendDeps,
  job: SendJob,
  message: SendableMessage,
  adapter: Adapter,
  credentials: unknown,
  key: string,
): Promise<SendOutcome> {
  const scope = { agencyId: job.agencyId, tenantId: job.tenantId };
  try {
    const result = await adapter.port.send(message.outbound, credentials);
    deps.onSendOutcome?.({ channel: message.channel, provider: adapter.provider, outcome: 'sent' });
    await deps.runInScope(scope, async (tx) => {
      if (await markSent(tx, { messageId: message.id, provider: adapter.provider, providerMessageId: result.providerMessageId, from: result.from })) {
        await publishStatus(deps, tx, job, { messageId: message.id, status: 'sent', provider: adapter.provider, providerMessageId: result.providerMessageId });
      }
      await deleteOutboxRow(tx, message.id);
    });
    return { kind: 'done', result: 'sent' };
  } catch (err) {
    const error = err instanceof ProviderError ? err : new ProviderError((err as Error).message, 'unknown_outcome');
    const code = String(error.details.code ?? error.kind);
    if (error.kind === 'permanent') return finalFailure(deps, job, message, 'failed', code, error.message, adapter.provider);
    if (error.kind === 'unknown_outcome') {
      deps.onSendOutcome?.({ channel: message.channel, provider: adapter.provider, outcome: 'unknown', errorCode: code });
      // The provider may have it: stay `sending`, so the next run reconciles instead of resending.
      return { kind: 'later', delayMs: retryDelayMs(deps.retry, message.attempts), reason: `unknown outcome: ${error.message}` };
    }
    if (message.attempts >= deps.retry.maxAttempts) {
      return finalFailure(deps, job, message, 'dead', 'attempts_exhausted', `${code}: ${error.message}`, adapter.provider);
    }
    deps.onSendOutcome?.({ channel: message.channel, provider: adapter.provider, outcome: 'retry', errorCode: code });
    let delayMs = retryDelayMs(deps.retry, message.attempts);
    if (error.kind === 'rate_limited') {
      delayMs = error.details.retryAfterMs ?? delayMs;
      await deps.pacer.pause(key, delayMs);
    }
    await deps.runInScope(scope, (tx) => markRetryPending(tx, { messageId: message.id, errorCode: code, errorMessage: error.message }));
    return { kind: 'later', delayMs, reason: `${error.kind}: ${error.message}` };
  }
}

async function finalFailure(
  deps: SendDeps,
  job: SendJob,
  message: SendableMessage,
  status: 'failed' | 'dead',
  errorCode: string,
  errorMessage: string,
  provider = message.provider,
): Promise<SendOutcome> {
  deps.logger.warn({ messageId: message.id, status, errorCode }, 'message not sent');
  deps.onSendOutcome?.({ channel: message.channel, provider: provider ?? 'none', outcome: status, errorCode });
  await deps.runInScope({ agencyId: job.agencyId, tenantId: job.tenantId }, async (tx) => {
    if (await markFinalFailure(tx, { messageId: message.id, status, errorCode, errorMessage })) {
      await publishStatus(deps, tx, job, { messageId: message.id, status, provider: message.provider, error: { code: errorCode, message: errorMessage } });
    }
    await deleteOutboxRow(tx, message.id);
  });
  return { kind: 'done', result: status };
}

async function publishStatus(deps: SendDeps, tx: Transaction, job: SendJob, data: Record<string, unknown>): Promise<void> {
  await deps.events?.publish({ type: 'message.status', agencyId: job.agencyId, tenantId: job.tenantId, data }, { transaction: tx });
}
