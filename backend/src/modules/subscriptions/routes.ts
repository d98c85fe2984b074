import { actorFrom } from '../../http/request-context.js';
import { defineRoute, type RouteSpec } from '../../http/route-registry.js';
import { emptyBody, emptyQuery } from '../../http/schemas.js';
import { changePlan } from './change-plan.js';
import { getBilling } from './get-billing.js';
import { listInvoices } from './list-invoices.js';
import { openCustomerPortal } from './open-customer-portal.js';
import { billingView, choosePlanBody, invoiceList, redirectResult } from './schemas.js';
import { setCancelAtPeriodEnd } from './set-cancel-at-period-end.js';
import { startCheckout } from './start-checkout.js';
import type { SubscriptionDeps } from './subscription-deps.js';

// The tenant's own billing: owners (and admins, who hold the same tenant permissions) and agency staff acting
// as the tenant; tenant members may not see or change it.
const TENANT_BILLING = { permission: 'tenant.billing.manage' } as const;
const BILLING = '/api/v1/billing';

/** The tenant Billing page: plan, status, Checkout, plan changes with proration, cancel/resume, Customer Portal, invoices. */
export function subscriptionRoutes(deps: SubscriptionDeps): RouteSpec[] {
  const common = { tag: 'billing', scope: 'tenant', access: TENANT_BILLING } as const;
  return [
    defineRoute({ ...common, method: 'get', path: BILLING, summary: 'The tenant\'s plan and what it includes, status, next payment date, trial days left, past-due/restricted banner and the plans on offer',
      query: emptyQuery, response: billingView, handler: ({ req }) => getBilling(deps, { actor: actorFrom(req) }) }),
    defineRoute({ ...common, method: 'post', path: `${BILLING}/checkout`, summary: 'Subscribe: a Stripe Checkout Session (mode subscription) for the plan; answers its URL',
      body: choosePlanBody, response: redirectResult, handler: ({ req, body }) => startCheckout(deps, { actor: actorFrom(req), ...body }) }),
    defineRoute({ ...common, method: 'post', path: `${BILLING}/change`, summary: 'Upgrade or downgrade the Stripe subscription (prorated by Stripe)',
      body: choosePlanBody, response: billingView, handler: ({ req, body }) => changePlan(deps, { actor: actorFrom(req), ...body }) }),
    defineRoute({ ...common, method: 'post', path: `${BILLING}/cancel`, summary: 'Cancel at the end of the paid period (service continues until then; nothing is deleted)',
      body: emptyBody, response: billingView, handler: ({ req }) => setCancelAtPeriodEnd(deps, { actor: actorFrom(req), cancel: true }) }),
    defineRoute({ ...common, method: 'post', path: `${BILLING}/resume`, summary: 'Keep a subscription that was set to cancel at period end',
      body: emptyBody, response: billingView, handler: ({ req }) => setCancelAtPeriodEnd(deps, { actor: actorFrom(req), cancel: false }) }),
    defineRoute({ ...common, method: 'post', path: `${BILLING}/portal`, summary: 'A Stripe Customer Portal session (payment methods, invoices); answers its URL',
      body: emptyBody, response: redirectResult, handler: ({ req }) => openCustomerPortal(deps, { actor: actorFrom(req) }) }),
    defineRoute({ ...common, method: 'get', path: `${BILLING}/invoices`, summary: 'The tenant\'s latest Stripe invoices: number, date, amount (minor units), status, hosted page and PDF',
      query: emptyQuery, response: invoiceList, handler: ({ req }) => listInvoices(deps, { actor: actorFrom(req) }) }),
  ];
}
