import { AppError } from '../../http/errors.js';
import type { Actor } from '../../http/request-context.js';
import { auditOrigin } from '../audit/audit-actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { getBilling } from './get-billing.js';
import type { BillingView } from './schemas.js';
import { callStripe } from './stripe-errors.js';
import type { SubscriptionDeps } from './subscription-deps.js';
import { syncStripeSubscription } from './sync-stripe-subscription.js';
import { loadTenantBilling, requireStripe, requireStripeSubscription } from './tenant-billing-context.js';

/**
 * Cancel (at the end of the paid period: service continues until then, nothing is deleted after) or
 * resume a subscription that is set to cancel. Stripe holds the flag; the row follows Stripe's answer.
 */
export async function setCancelAtPeriodEnd(deps: SubscriptionDeps, input: { actor: Actor; cancel: boolean }): Promise<BillingView> {
  const { agencyId } = input.actor.principal;
  const { credentials, subscription, tenantId } = await deps.runInScope({ agencyId }, async (tx) => {
    const billing = await loadTenantBilling(tx, deps, input.actor);
    return { credentials: requireStripe(billing), subscription: requireStripeSubscription(billing), tenantId: billing.tenantId };
  });
  if (!input.cancel && !subscription.cancelAtPeriodEnd) throw new AppError('CONFLICT', 'The subscription is not set to cancel', { reason: 'not_canceling' });
  await callStripe(() => deps.billing.port.updateSubscription(credentials, subscription.stripeSubscriptionId, { cancelAtPeriodEnd: input.cancel }));
  await deps.runInScope({ agencyId }, (tx) => recordAuditEvent(tx, {
    agencyId, tenantId, ...auditOrigin(input.actor), action: input.cancel ? 'subscription.cancel_requested' : 'subscription.resume_requested',
    target: { type: 'subscription', id: subscription.id }, before: { cancelAtPeriodEnd: subscription.cancelAtPeriodEnd }, after: { cancelAtPeriodEnd: input.cancel },
  }));
  await syncStripeSubscription(deps, { agencyId, subscriptionId: subscription.stripeSubscriptionId, origin: 'webhook' });
  return getBilling(deps, input);
}
