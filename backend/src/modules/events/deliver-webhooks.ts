import type { Sequelize } from 'sequelize';
import { withScope } from '../../db/tenant-scope.js';
import { decryptSecret } from '../../infra/crypto.js';
import type { Logger } from '../../logger.js';
import { runWithLogContext } from '../../log-context.js';
import { eventDeliveryFailures } from '../../metrics/metrics.js';
import { listAgencyIds } from '../outbox/outbox-repository.js';
import { retryDelayMs, type RetryPolicy } from '../outbox/retry-policy.js';
import { leaseDueDeliveries, recordDeliveryResult, type DeliveryResult, type DueDelivery } from './delivery-repository.js';
import { SIGNATURE_HEADER, signEventPayload } from './event-signature.js';

export type WebhookDeps = {
  sequelize: Sequelize;
  encryptionKey: Buffer;
  logger: Logger;
  retry: RetryPolicy;
  timeoutMs?: number;
  batchSize?: number;
  fetch?: typeof fetch;
  shortcuts?: { publicBase: string; internalBase: string }[];
};

/** Where a delivery is sent: a URL under a shortcut's public base goes to the same path under its internal base. */
export function deliveryTarget(url: string, shortcuts: WebhookDeps['shortcuts'] = []): string {
  for (const { publicBase, internalBase } of shortcuts) {
    if (url === publicBase || url.startsWith(`${publicBase}/`)) return `${internalBase}${url.slice(publicBase.length)}`;
  }
  return url;
}

/** One pass: due deliveries are leased, POSTed (signed) in parallel, and their outcome recorded. */
export async function deliverDueWebhooks(deps: WebhookDeps): Promise<number> {
  const agencyIds = await deps.sequelize.transaction((tx) => listAgencyIds(tx));
  const timeoutMs = deps.timeoutMs ?? 10_000;
  let delivered = 0;
  for (const agencyId of agencyIds) {
    const leaseSeconds = Math.ceil(timeoutMs / 1000) + 30;
    const due = await withScope(deps.sequelize, { agencyId }, (tx) => leaseDueDeliveries(tx, { agencyId, limit: deps.batchSize ?? 50, leaseSeconds }));
    const results = await Promise.all(due.map(async (delivery) => ({
      delivery,
      result: await runWithLogContext(deliveryLogContext(delivery), () => postDelivery(deps, delivery, timeoutMs)),
    })));
    await withScope(deps.sequelize, { agencyId }, async (tx) => {
      for (const { delivery, result } of results) await recordDeliveryResult(tx, delivery.id, result);
    });
    delivered += due.length;
  }
  return delivered;
}

async function postDelivery(deps: WebhookDeps, delivery: DueDelivery, timeoutMs: number): Promise<DeliveryResult> {
  const body = JSON.stringify(delivery.event);
  let statusCode: number | null = null;
  let error: string;
  try {
    const response = await (deps.fetch ?? fetch)(deliveryTarget(delivery.url, deps.shortcuts), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Switchboard-Webhooks/1',
        'x-switchboard-event-id': delivery.event.id,
        'x-switchboard-event': delivery.event.type,
        'x-switchboard-delivery-id': delivery.id,
        [SIGNATURE_HEADER.toLowerCase()]: signEventPayload(decryptSecret(deps.encryptionKey, delivery.secretEncrypted), body),
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    statusCode = response.status;
    await response.body?.cancel();
    if (response.ok) return { outcome: 'delivered', statusCode };
    error = `HTTP ${response.status}`;
  } catch (err) {
    // fetch says only "fetch failed"; the reason (refused, unknown host, certificate) is its cause.
    const cause = err instanceof Error && err.cause instanceof Error ? ` (${(err.cause as Error & { code?: string }).code ?? err.cause.message})` : '';
    error = err instanceof Error ? `${err.name}: ${err.message}${cause}` : String(err);
  }
  deps.logger.info({ deliveryId: delivery.id, attempt: delivery.attempts, statusCode, error }, 'webhook delivery failed');
  const final = delivery.attempts >= deps.retry.maxAttempts;
  eventDeliveryFailures.inc({ outcome: final ? 'failed' : 'retry' });
  if (final) return { outcome: 'failed', statusCode, error };
  return { outcome: 'retry', statusCode, error, delayMs: retryDelayMs(deps.retry, delivery.attempts) };
}

function deliveryLogContext(delivery: DueDelivery) {
  return { jobId: delivery.id, agencyId: delivery.event.agencyId, tenantId: delivery.event.tenantId ?? undefined };
}
