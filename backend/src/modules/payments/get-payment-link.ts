import { AppError } from '../../http/errors.js';
import type { Actor } from '../../http/request-context.js';
import { PaymentsError } from '../../ports/payments.js';
import { tenantScopeOf } from '../contacts/contact-scope.js';
import { paymentsFailure, type PaymentDeps } from './payment-deps.js';
import { findPaymentLink, updatePaymentLinkState, type PaymentLink } from './payment-link-repository.js';
import { stripeCredentialsFor } from './stripe-account.js';

/**
 * A payment link of the caller's tenant, its `active` state refreshed from Stripe. Without a Stripe
 * account any more (disconnected) or when Stripe no longer knows the link, the stored state is returned
 * with `refreshed: false`; Stripe being down is a 503.
 */
export async function getPaymentLink(deps: PaymentDeps, input: { actor: Actor; paymentLinkId: string }): Promise<PaymentLink & { refreshed: boolean }> {
  const scope = tenantScopeOf(input.actor);
  const { link, credentials } = await deps.runInScope(scope, async (tx) => ({
    link: await findPaymentLink(tx, { tenantId: scope.tenantId, id: input.paymentLinkId }),
    credentials: await stripeCredentialsFor(tx, deps, scope),
  }));
  if (!link) throw new AppError('NOT_FOUND', 'Payment link not found');
  if (!credentials) return { ...link, refreshed: false };
  try {
    const remote = await deps.payments.getPaymentLink(credentials, link.providerLinkId);
    if (remote.active === link.active && remote.url === link.url) return { ...link, refreshed: true };
    const updated = await deps.runInScope(scope, (tx) => updatePaymentLinkState(tx, { tenantId: scope.tenantId, id: link.id, active: remote.active, url: remote.url }));
    return { ...updated, refreshed: true };
  } catch (err) {
    if (err instanceof PaymentsError && err.reason === 'not_found') return { ...link, refreshed: false };
    throw paymentsFailure(err);
  }
}
