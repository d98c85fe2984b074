import { actorFrom } from '../../http/request-context.js';
import { defineRoute, type RouteSpec } from '../../http/route-registry.js';
import { emptyQuery } from '../../http/schemas.js';
import {
  createEventSubscription,
  deleteEventSubscription,
  listEventSubscriptions,
  listSubscriptionDeliveries,
  type SubscriptionDeps,
  type SubscriptionLevel,
} from './manage-subscriptions.js';
import {
  createAgencySubscriptionBody,
  createdSubscriptionView,
  createTenantSubscriptionBody,
  deliveriesQuery,
  deliveryListView,
  subscriptionIdParams,
  subscriptionListView,
} from './schemas.js';

// Webhook subscriptions to domain events (n8n's trigger node registers and deletes its own).
function subscriptionRoutes(deps: SubscriptionDeps, level: SubscriptionLevel): RouteSpec[] {
  const prefix = level === 'agency' ? '/api/v1/agency/event-subscriptions' : '/api/v1/event-subscriptions';
  const access = { permission: level === 'agency' ? 'agency.event_subscriptions.manage' : 'tenant.event_subscriptions.manage' } as const;
  return [
    defineRoute({
      method: 'post', path: prefix, tag: 'events', scope: level, access, status: 201,
      summary: level === 'agency' ? 'Subscribe a URL to events of all tenants (or one)' : "Subscribe a URL to the tenant's events",
      body: level === 'agency' ? createAgencySubscriptionBody : createTenantSubscriptionBody, response: createdSubscriptionView,
      handler: ({ req, body }) => createEventSubscription(deps, { actor: actorFrom(req), level, ...body }),
    }),
    defineRoute({
      method: 'get', path: prefix, tag: 'events', scope: level, access,
      summary: 'List event subscriptions (never their secrets)',
      query: emptyQuery, response: subscriptionListView,
      handler: async ({ req }) => ({ subscriptions: await listEventSubscriptions(deps, { actor: actorFrom(req), level }) }),
    }),
    defineRoute({
      method: 'delete', path: `${prefix}/:subscriptionId`, tag: 'events', scope: level, access,
      summary: 'Delete an event subscription (pending deliveries are dropped)',
      params: subscriptionIdParams, query: emptyQuery,
      handler: ({ req, params }) => deleteEventSubscription(deps, { actor: actorFrom(req), level, subscriptionId: params.subscriptionId }),
    }),
    defineRoute({
      method: 'get', path: `${prefix}/:subscriptionId/deliveries`, tag: 'events', scope: level, access,
      summary: 'Delivery log of a subscription: status, attempts, last error',
      params: subscriptionIdParams, query: deliveriesQuery, response: deliveryListView,
      handler: async ({ req, params, query }) => ({
        deliveries: await listSubscriptionDeliveries(deps, { actor: actorFrom(req), level, subscriptionId: params.subscriptionId, limit: query.limit }),
      }),
    }),
  ];
}

export function eventSubscriptionRoutes(deps: SubscriptionDeps): RouteSpec[] {
  return [...subscriptionRoutes(deps, 'agency'), ...subscriptionRoutes(deps, 'tenant')];
}
