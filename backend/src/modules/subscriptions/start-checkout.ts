import { AppError } from '../../http/errors.js';
import type { Actor } from '../../http/request-context.js';
import { auditOrigin } from '../audit/audit-actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { SubscriptionInterval } from '../plans/subscription-repository.js';
import { offeredPrice } from './offered-price.js';
import { callStripe } from './stripe-errors.js';
import { findStripeCustomer, rememberStripeCustomer } from './stripe-subscription-repository.js';
import type { SubscriptionDeps } from './subscription-deps.js';
import { loadTenantBilling, requireStripe } from './tenant-billing-context.js';

/**
 * A tenant owner subscribes: a Stripe Checkout Session (mode subscription) for the plan's current version,
 * on the tenant's one Stripe customer (created once: idempotency key tenant:<id>:customer, then kept in
 * stripe_customers, since Stripe forgets keys after 24 hours), naming the
 * tenant in client_reference_id and metadata so the webhooks find it. The trial is offered to a tenant that
 * never had a subscription (a hand-given trial or plan is not followed by a second trial). Nothing changes
 * here until Stripe's webhooks say the subscription exists.
 */
export async function startCheckout(deps: SubscriptionDeps, input: { actor: Actor; planId: string; interval: SubscriptionInterval }): Promise<{ url: string }> {
  const prepared = await deps.runInScope({ agencyId: input.actor.principal.agencyId }, async (tx) => {
    const billing = await loadTenantBilling(tx, deps, input.actor);
    const credentials = requireStripe(billing);
    const current = billing.subscription;
    if (current?.billing === 'stripe' && current.stripeSubscriptionId && current.status !== 'canceled') {
      throw new AppError('CONFLICT', 'You already have a subscription: change its plan instead', { reason: 'already_subscribed' });
    }
    const offer = await offeredPrice(tx, { agencyId: billing.agencyId, planId: input.planId, interval: input.interval });
    const customerId = current?.stripeCustomerId ?? (await findStripeCustomer(tx, { agencyId: billing.agencyId, tenantId: billing.tenantId }));
    return { billing, credentials, offer, customerId, hadSubscription: !!current };
  });
  const { billing, credentials, offer } = prepared;
  const metadata = { tenantId: billing.tenantId, agencyId: billing.agencyId, planVersionId: offer.version.id };
  const customerId = prepared.customerId ?? (await callStripe(() => deps.billing.port.createCustomer(credentials, {
    name: billing.tenant.name, metadata: { tenantId: billing.tenantId, agencyId: billing.agencyId }, idempotencyKey: `tenant:${billing.tenantId}:customer`,
  }))).customerId;
  const session = await callStripe(() => deps.billing.port.createCheckoutSession(credentials, {
    customerId, priceId: offer.priceId, trialDays: prepared.hadSubscription ? 0 : offer.version.trialDays, clientReferenceId: billing.tenantId, metadata,
    successUrl: `${deps.portalUrl}/billing?checkout=success`, cancelUrl: `${deps.portalUrl}/billing?checkout=canceled`,
  }));
  await deps.runInScope({ agencyId: billing.agencyId }, async (tx) => {
    await rememberStripeCustomer(tx, { agencyId: billing.agencyId, tenantId: billing.tenantId, customerId });
    await recordAuditEvent(tx, {
      agencyId: billing.agencyId, tenantId: billing.tenantId, ...auditOrigin(input.actor), action: 'subscription.checkout_started',
      target: { type: 'tenant', id: billing.tenantId }, after: { planId: offer.plan.id, planVersionId: offer.version.id, interval: input.interval, checkoutSessionId: session.id },
    });
  });
  return { url: session.url };
}
