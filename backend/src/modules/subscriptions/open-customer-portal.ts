import { AppError } from '../../http/errors.js';
import type { Actor } from '../../http/request-context.js';
import { callStripe } from './stripe-errors.js';
import type { SubscriptionDeps } from './subscription-deps.js';
import { loadTenantBilling, requireStripe } from './tenant-billing-context.js';

/** "Manage payment methods and invoices": a Stripe Customer Portal session for the tenant's customer, returning to /billing. */
export async function openCustomerPortal(deps: SubscriptionDeps, input: { actor: Actor }): Promise<{ url: string }> {
  const { credentials, customerId } = await deps.runInScope({ agencyId: input.actor.principal.agencyId }, async (tx) => {
    const billing = await loadTenantBilling(tx, deps, input.actor);
    return { credentials: requireStripe(billing), customerId: billing.subscription?.stripeCustomerId };
  });
  if (!customerId) throw new AppError('CONFLICT', 'There is nothing to manage yet: choose a plan first', { reason: 'no_stripe_customer' });
  return callStripe(() => deps.billing.port.createPortalSession(credentials, { customerId, returnUrl: `${deps.portalUrl}/billing` }));
}
