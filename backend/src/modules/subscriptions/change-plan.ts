import { AppError } from '../../http/errors.js';
import type { Actor } from '../../http/request-context.js';
import { auditOrigin } from '../audit/audit-actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { SubscriptionInterval } from '../plans/subscription-repository.js';
import { getBilling } from './get-billing.js';
import { offeredPrice } from './offered-price.js';
import type { BillingView } from './schemas.js';
import { callStripe } from './stripe-errors.js';
import type { SubscriptionDeps } from './subscription-deps.js';
import { syncStripeSubscription } from './sync-stripe-subscription.js';
import { loadTenantBilling, requireStripe, requireStripeSubscription } from './tenant-billing-context.js';

/**
 * Upgrade or downgrade a Stripe subscription: its item moves to the new plan's price and Stripe prorates
 * (create_prorations: the unused time is credited, the rest charged on the next invoice). The row follows
 * from Stripe's answer at once (and again from the webhooks, which converge on the same state).
 */
export async function changePlan(deps: SubscriptionDeps, input: { actor: Actor; planId: string; interval: SubscriptionInterval }): Promise<BillingView> {
  const { agencyId } = input.actor.principal;
  const { credentials, subscription, offer, tenantId } = await deps.runInScope({ agencyId }, async (tx) => {
    const billing = await loadTenantBilling(tx, deps, input.actor);
    const credentials = requireStripe(billing);
    const subscription = requireStripeSubscription(billing);
    const offer = await offeredPrice(tx, { agencyId, planId: input.planId, interval: input.interval });
    if (offer.version.id === subscription.planVersionId && input.interval === subscription.interval) {
      throw new AppError('CONFLICT', 'You are already on this plan', { reason: 'same_plan' });
    }
    return { credentials, subscription, offer, tenantId: billing.tenantId };
  });
  await callStripe(() => deps.billing.port.updateSubscription(credentials, subscription.stripeSubscriptionId, { priceId: offer.priceId }));
  await deps.runInScope({ agencyId }, (tx) => recordAuditEvent(tx, {
    agencyId, tenantId, ...auditOrigin(input.actor), action: 'subscription.plan_change_requested', target: { type: 'subscription', id: subscription.id },
    before: { planVersionId: subscription.planVersionId, interval: subscription.interval },
    after: { planId: offer.plan.id, planVersionId: offer.version.id, interval: input.interval, proration: 'create_prorations' },
  }));
  await syncStripeSubscription(deps, { agencyId, subscriptionId: subscription.stripeSubscriptionId, origin: 'webhook' });
  return getBilling(deps, input);
}
