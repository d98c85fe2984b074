// Events: every change the fake makes becomes an event stamped with the account's clock, kept for
// GET /v1/events and sent to the account's webhook endpoints that subscribe to its type.
import type { StripeAccount } from './account.js';
import type { FormValue } from './form.js';
import { stripeId } from './ids.js';
import { listOf, mergeMetadata, missing, ok, required, text } from './replies.js';
import { route, type Ctx } from './routes.js';
import type { WebhookEndpoint } from './types.js';
import { visible } from './replies.js';
import type { StripeEvent } from './webhooks.js';
import Stripe from 'stripe';

export function newEvent(account: StripeAccount, type: string, object: object, previousAttributes?: object): StripeEvent {
  const event: StripeEvent = {
    id: stripeId('evt'), object: 'event', api_version: Stripe.API_VERSION, created: account.clock.now, livemode: false, pending_webhooks: 0,
    request: { id: null, idempotency_key: null }, type,
    data: { object: visible(object) as Record<string, unknown>, ...(previousAttributes && { previous_attributes: visible(previousAttributes) as Record<string, unknown> }) },
  };
  account.events.push(event);
  return event;
}

/** The endpoints of the account that want this event type. */
export function subscribers(account: StripeAccount, type: string): WebhookEndpoint[] {
  return [...account.webhookEndpoints.values()].filter((endpoint) =>
    endpoint.status === 'enabled' && (endpoint.enabled_events.includes('*') || endpoint.enabled_events.includes(type)));
}

export function newEndpoint(account: StripeAccount, url: string, secret: string, enabledEvents: string[] = ['*']): WebhookEndpoint {
  const endpoint: WebhookEndpoint = {
    id: stripeId('we'), object: 'webhook_endpoint', api_version: null, created: account.clock.now, description: null,
    enabled_events: enabledEvents, livemode: false, metadata: {}, status: 'enabled', url, _secret: secret,
  };
  account.webhookEndpoints.set(endpoint.id, endpoint);
  return endpoint;
}

const strings = (value: FormValue | undefined) => (value === undefined ? undefined : Object.values(value as FormValue[]).map(String));

function createEndpoint(ctx: Ctx) {
  const url = text(ctx.params.url);
  if (!url) return required('url');
  const events = strings(ctx.params.enabled_events);
  if (!events || events.length === 0) return required('enabled_events');
  const endpoint = newEndpoint(ctx.account, url, `whsec_${stripeId('x').slice(2)}${stripeId('x').slice(2)}`, events);
  endpoint.description = text(ctx.params.description) ?? null;
  endpoint.metadata = mergeMetadata({}, ctx.params.metadata);
  return ok({ ...endpoint, secret: endpoint._secret }); // Stripe shows the secret only in the answer to the create
}

function updateEndpoint(ctx: Ctx, id: string) {
  const endpoint = ctx.account.webhookEndpoints.get(id);
  if (!endpoint) return missing('webhook_endpoint', id);
  endpoint.url = text(ctx.params.url) ?? endpoint.url;
  endpoint.enabled_events = strings(ctx.params.enabled_events) ?? endpoint.enabled_events;
  if (ctx.params.disabled !== undefined) endpoint.status = ctx.params.disabled === 'true' ? 'disabled' : 'enabled';
  endpoint.metadata = mergeMetadata(endpoint.metadata, ctx.params.metadata);
  return ok(endpoint);
}

function listEvents(ctx: Ctx) {
  const types = strings(ctx.params.types) ?? (ctx.params.type ? [String(ctx.params.type)] : undefined);
  const matches = (type: string) => !types || types.some((wanted) => (wanted.endsWith('*') ? type.startsWith(wanted.slice(0, -1)) : type === wanted));
  return listOf(ctx.account.events.filter((event) => matches(event.type)), ctx.params, '/v1/events');
}

export const eventRoutes = [
  route('POST', '/v1/webhook_endpoints', createEndpoint),
  route('GET', '/v1/webhook_endpoints', (ctx) => listOf([...ctx.account.webhookEndpoints.values()], ctx.params, '/v1/webhook_endpoints')),
  route('GET', '/v1/webhook_endpoints/:id', (ctx, id) => { const e = ctx.account.webhookEndpoints.get(id); return e ? ok(e) : missing('webhook_endpoint', id); }),
  route('POST', '/v1/webhook_endpoints/:id', updateEndpoint),
  route('DELETE', '/v1/webhook_endpoints/:id', (ctx, id) => {
    if (!ctx.account.webhookEndpoints.delete(id)) return missing('webhook_endpoint', id);
    return ok({ id, object: 'webhook_endpoint', deleted: true });
  }),
  route('GET', '/v1/events', listEvents),
  route('GET', '/v1/events/:id', (ctx, id) => { const e = ctx.account.events.find((x) => x.id === id); return e ? ok(e) : missing('event', id); }),
];
