import { actorFrom } from '../../http/request-context.js';
import { defineRoute, type RouteSpec } from '../../http/route-registry.js';
import { emptyBody, emptyQuery } from '../../http/schemas.js';
import { BILLING_ACCESS } from '../billing-account/routes.js';
import { archivePlan } from './archive-plan.js';
import { assignSubscription } from './assign-subscription.js';
import { createPlan } from './create-plan.js';
import { getPlan, listAgencyPlans } from './get-plan.js';
import { moveSubscribers } from './move-subscribers.js';
import type { PlanDeps } from './plan-deps.js';
import { removeSubscription } from './remove-subscription.js';
import { retryPlanSync } from './retry-plan-sync.js';
import { createPlanBody, moveSubscribersBody, moveSubscribersResult, planList, planParams, planResult, updatePlanBody, updatePlanResult } from './schemas.js';
import { assignSubscriptionBody, subscriptionResult, tenantParams } from './subscription-schemas.js';
import { updatePlanTerms } from './update-plan.js';

const PLANS = '/api/v1/agency/plans';

/** The agency's catalogue (mirrored to its Stripe account) and hand-made subscriptions of its tenants. */
export function planRoutes(deps: PlanDeps): RouteSpec[] {
  const common = { tag: 'billing', scope: 'agency', access: BILLING_ACCESS } as const;
  return [
    defineRoute({ ...common, method: 'get', path: PLANS, summary: 'Every plan with its versions, Stripe sync status and subscriber counts per plan and version',
      query: emptyQuery, response: planList,
      handler: async ({ req }) => ({ plans: await listAgencyPlans(deps, { actor: actorFrom(req) }) }) }),
    defineRoute({ ...common, method: 'post', path: PLANS, status: 201,
      summary: "Create a plan (version 1; prices in minor units) and mirror it to the agency's Stripe account (audited; a Stripe failure keeps the plan, sync status failed)",
      body: createPlanBody, response: planResult,
      handler: async ({ req, body }) => ({ plan: await createPlan(deps, { actor: actorFrom(req), body }) }) }),
    defineRoute({ ...common, method: 'get', path: `${PLANS}/:id`, summary: 'One plan with its versions and subscriber counts',
      params: planParams, query: emptyQuery, response: planResult,
      handler: async ({ req, params }) => ({ plan: await getPlan(deps, { actor: actorFrom(req), planId: params.id }) }) }),
    defineRoute({ ...common, method: 'patch', path: `${PLANS}/:id`,
      summary: 'Edit a plan: name and description in place; new prices, trial or entitlements become a new version when the current one has subscribers (audited)',
      params: planParams, body: updatePlanBody, response: updatePlanResult,
      handler: ({ req, params, body }) => updatePlanTerms(deps, { actor: actorFrom(req), planId: params.id, body }) }),
    defineRoute({ ...common, method: 'delete', path: `${PLANS}/:id`,
      summary: 'Archive a plan: no new assignments, its Stripe prices and product archived; subscribers keep their version (audited)',
      params: planParams, response: planResult,
      handler: async ({ req, params }) => ({ plan: await archivePlan(deps, { actor: actorFrom(req), planId: params.id }) }) }),
    defineRoute({ ...common, method: 'post', path: `${PLANS}/:id/sync`, summary: 'Retry sync: mirror the plan to Stripe again (idempotent)',
      params: planParams, body: emptyBody, response: planResult,
      handler: async ({ req, params }) => ({ plan: await retryPlanSync(deps, { actor: actorFrom(req), planId: params.id }) }) }),
    defineRoute({ ...common, method: 'post', path: `${PLANS}/:id/move-subscribers`,
      summary: 'Move subscribers of older versions (billed outside Stripe) to the current version (audited; returns the count)',
      params: planParams, body: moveSubscribersBody, response: moveSubscribersResult,
      handler: ({ req, params, body }) => moveSubscribers(deps, { actor: actorFrom(req), planId: params.id, fromVersion: body.fromVersion }) }),
    defineRoute({ ...common, method: 'put', path: '/api/v1/agency/tenants/:tenantId/subscription',
      summary: "Assign a plan to a tenant by hand: billed outside Switchboard, comped, or a trial (audited, subscription.* events)",
      params: tenantParams, body: assignSubscriptionBody, response: subscriptionResult,
      handler: async ({ req, params, body }) => ({ subscription: await assignSubscription(deps, { actor: actorFrom(req), tenantId: params.tenantId, body }) }) }),
    defineRoute({ ...common, method: 'delete', path: '/api/v1/agency/tenants/:tenantId/subscription',
      summary: "End a tenant's hand-made subscription now (kept as canceled; audited, subscription.removed)",
      params: tenantParams,
      handler: async ({ req, params }) => { await removeSubscription(deps, { actor: actorFrom(req), tenantId: params.tenantId }); } }),
  ];
}
