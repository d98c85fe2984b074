import { actorFrom } from '../../http/request-context.js';
import { defineRoute, type RouteSpec } from '../../http/route-registry.js';
import { emptyQuery } from '../../http/schemas.js';
import type { BillingAccountDeps } from './billing-account-deps.js';
import { connectAgencyStripe } from './connect-agency-stripe.js';
import { disconnectAgencyStripe } from './disconnect-agency-stripe.js';
import { getAgencyBillingAccount } from './get-agency-billing-account.js';
import { billingAccountView, connectStripeBody } from './schemas.js';

// Billing is the agency owner's: the same permission as creating and suspending client businesses.
export const BILLING_ACCESS = { permission: 'agency.billing.manage' } as const;

const path = '/api/v1/agency/billing/stripe';

/** The agency's own Stripe account, where its plans are mirrored and its clients pay. */
export function billingAccountRoutes(deps: BillingAccountDeps): RouteSpec[] {
  const common = { tag: 'billing', scope: 'agency', access: BILLING_ACCESS, path } as const;
  return [
    defineRoute({ ...common, method: 'get', summary: "The agency's Stripe account (own, the installation's, or none), currency and grace; never a secret",
      query: emptyQuery, response: billingAccountView,
      handler: ({ req }) => getAgencyBillingAccount(deps, { actor: actorFrom(req) }) }),
    defineRoute({ ...common, method: 'put', summary: "Connect the agency's Stripe account: secret key (checked with Stripe; a refused key is a 400) and webhook signing secret, stored encrypted",
      body: connectStripeBody, response: billingAccountView,
      handler: ({ req, body }) => connectAgencyStripe(deps, { actor: actorFrom(req), body }) }),
    defineRoute({ ...common, method: 'delete', summary: "Disconnect the agency's own Stripe account (back to STRIPE_SECRET_KEY, or billing outside Switchboard)",
      handler: async ({ req }) => { await disconnectAgencyStripe(deps, { actor: actorFrom(req) }); } }),
  ];
}
