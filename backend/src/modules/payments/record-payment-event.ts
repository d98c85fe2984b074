import type { ScopedDeps } from '../../db/scoped-deps.js';
import { queryOne, queryRows } from '../../db/sql.js';
import type { EventBus } from '../../ports/events.js';
import type { PaymentWebhookEvent } from '../../ports/payments.js';

/** Stripe event types that become payment.* events; anything else is acknowledged and ignored. */
type PaymentEventType = 'payment.succeeded' | 'payment.pending' | 'payment.failed' | 'payment.expired';

function paymentEventType(event: PaymentWebhookEvent): PaymentEventType | undefined {
  const status = event.object.payment_status;
  switch (event.type) {
    case 'checkout.session.completed':
      return status === 'paid' || status === 'no_payment_required' ? 'payment.succeeded' : 'payment.pending';
    case 'checkout.session.async_payment_succeeded':
      return 'payment.succeeded';
    case 'checkout.session.async_payment_failed':
      return 'payment.failed';
    case 'checkout.session.expired':
      return 'payment.expired';
    default:
      return undefined;
  }
}

/**
 * A verified Stripe event for the tenant: stored once per Stripe event id (Stripe retries) and published
 * as payment.succeeded / payment.pending / payment.failed / payment.expired, tied to our payment link and
 * its contact when the checkout came from one of our links.
 */
export async function recordPaymentEvent(
  deps: ScopedDeps & { events: EventBus },
  input: { agencyId: string; tenantId: string; provider: string; event: PaymentWebhookEvent },
): Promise<{ type: PaymentEventType | undefined; duplicate: boolean }> {
  const type = paymentEventType(input.event);
  if (!type) return { type, duplicate: false };
  const scope = { agencyId: input.agencyId, tenantId: input.tenantId };
  const session = input.event.object;
  return deps.runInScope(scope, async (tx) => {
    const link = typeof session.payment_link === 'string'
      ? await queryOne<{ id: string; contactId: string | null }>(tx,
        'SELECT id, contact_id AS "contactId" FROM payment_links WHERE tenant_id = :tenantId AND provider_link_id = :linkId',
        { tenantId: scope.tenantId, linkId: session.payment_link })
      : undefined;
    const amount = typeof session.amount_total === 'number' ? session.amount_total : null;
    const currency = typeof session.currency === 'string' ? session.currency : null;
    const inserted = await queryRows(
      tx,
      `INSERT INTO payment_events (agency_id, tenant_id, provider, provider_event_id, type, payment_link_id, contact_id, amount, currency, occurred_at)
       VALUES (:agencyId, :tenantId, :provider, :eventId, :type, :linkId, :contactId, :amount, :currency, :occurredAt)
       ON CONFLICT (tenant_id, provider, provider_event_id) DO NOTHING RETURNING id`,
      { ...scope, provider: input.provider, eventId: input.event.id, type, linkId: link?.id ?? null, contactId: link?.contactId ?? null,
        amount, currency, occurredAt: input.event.occurredAt.toISOString() },
    );
    if (inserted.length === 0) return { type, duplicate: true };
    await deps.events.publish({
      type, ...scope,
      data: {
        paymentLinkId: link?.id ?? null, contactId: link?.contactId ?? null, amount, currency,
        provider: input.provider, providerEventId: input.event.id, checkoutSessionId: typeof session.id === 'string' ? session.id : null,
      },
    }, { transaction: tx });
    return { type, duplicate: false };
  });
}
