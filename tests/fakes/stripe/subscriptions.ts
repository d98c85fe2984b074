// Subscriptions API: create, retrieve, update (plan change with proration, cancel at period end,
// trial_end, pause_collection, metadata), cancel now, resume a paused one, list.
import type { Reply } from '../support/fake-server.js';
import type { Params } from './account.js';
import { attachCard } from './payments.js';
import { changePrice, endTrialNow, resume, startSubscription } from './lifecycle.js';
import { integer, invalid, isReply, listOf, mergeMetadata, missing, ok, required, text, unknownParameters } from './replies.js';
import { route, type Ctx } from './routes.js';
import { changeSubscription, endSubscription, setCancelAtPeriodEnd } from './subscription-events.js';
import type { PauseCollection, Price, Subscription } from './types.js';

const DAY = 86_400;

/** A price a new subscription or a plan change may use: it exists, is active and recurring. */
export function recurringPrice(ctx: Ctx, id: string | undefined, param: string): Price | Reply {
  if (!id) return required(param);
  const price = ctx.account.prices.get(id);
  if (!price) return missing('price', id, 400, param);
  if (!price.active) return invalid(param, 'The price specified is inactive. This field only accepts active prices.');
  if (!price.recurring) return invalid(param, `The price specified is set to \`type=one_time\` but this field only accepts prices with \`type=recurring\`.`);
  return price;
}

function create(ctx: Ctx): Reply {
  const { params } = ctx;
  const customer = ctx.account.customers.get(text(params.customer) ?? '');
  if (!customer) return params.customer ? missing('customer', String(params.customer), 400, 'customer') : required('customer');
  const item = ((params.items ?? []) as Params[])[0];
  const price = recurringPrice(ctx, text(item?.price), 'items[0][price]');
  if (isReply(price)) return price;
  const trialDays = integer(params.trial_period_days);
  const trialEnd = params.trial_end === 'now' ? null : integer(params.trial_end) ?? (trialDays ? ctx.now() + trialDays * DAY : null);
  if (Number.isNaN(trialEnd)) return invalid('trial_end', 'Invalid timestamp');
  if (params.default_payment_method) customer.invoice_settings.default_payment_method = attachCard(ctx.account, String(params.default_payment_method));
  const behaviour = ((params.trial_settings as Params | undefined)?.end_behavior as Params | undefined)?.missing_payment_method;
  const subscription = startSubscription(ctx, {
    customer, price, quantity: integer(item?.quantity) ?? 1, trialEnd, metadata: mergeMetadata({}, params.metadata),
    missingPaymentMethod: behaviour as Subscription['trial_settings']['end_behavior']['missing_payment_method'] | undefined,
    attemptPayment: params.payment_behavior !== 'default_incomplete',
  });
  return ok(subscription);
}

const UPDATABLE = ['items', 'proration_behavior', 'cancel_at_period_end', 'trial_end', 'metadata', 'pause_collection', 'default_payment_method', 'description', 'payment_behavior', 'cancellation_details', 'trial_settings'];

function update(ctx: Ctx, id: string): Reply {
  const subscription = ctx.account.subscriptions.get(id);
  if (!subscription) return missing('subscription', id);
  const { params } = ctx;
  const refused = unknownParameters(params, UPDATABLE);
  if (refused) return refused;
  const ended = ['canceled', 'incomplete_expired'].includes(subscription.status);
  if (ended && Object.keys(params).some((key) => !['metadata', 'cancellation_details', 'expand'].includes(key))) {
    return invalid('subscription', 'A canceled subscription can only update its cancellation_details and metadata.');
  }
  const item = ((params.items ?? []) as Params[])[0];
  let price: Price | undefined;
  if (item) {
    if (item.id !== subscription.items.data[0]!.id) return invalid('items[0][id]', 'The fake supports one item per subscription: pass items[0][id] with its id.');
    const found = item.price === undefined ? subscription.items.data[0]!.price : recurringPrice(ctx, text(item.price), 'items[0][price]');
    if (isReply(found)) return found;
    if (found.currency !== subscription.currency) return invalid('items[0][price]', 'The price currency must match the subscription currency.');
    price = found;
  }
  changeSubscription(ctx, subscription, (s) => {
    s.metadata = mergeMetadata(s.metadata, params.metadata);
    if (params.description !== undefined) s.description = text(params.description) || null;
    if (params.default_payment_method !== undefined) s.default_payment_method = params.default_payment_method ? attachCard(ctx.account, String(params.default_payment_method)) : null;
    if (params.pause_collection !== undefined) s.pause_collection = pauseFrom(params.pause_collection as Params | '');
  });
  if (params.cancel_at_period_end !== undefined) setCancelAtPeriodEnd(ctx, subscription, params.cancel_at_period_end === 'true');
  if (price) changePrice(ctx, subscription, price, integer(item?.quantity) ?? subscription.items.data[0]!.quantity, text(params.proration_behavior) ?? 'create_prorations');
  if (params.trial_end === 'now' && subscription.status === 'trialing') endTrialNow(ctx, subscription);
  else if (params.trial_end !== undefined && params.trial_end !== 'now') extendTrial(ctx, subscription, Number(params.trial_end));
  return ok(subscription);
}

function pauseFrom(value: Params | ''): PauseCollection | null {
  if (value === '') return null;
  const behavior = (value.behavior ?? 'void') as PauseCollection['behavior'];
  return { behavior, resumes_at: integer(value.resumes_at) ?? null };
}

function extendTrial(ctx: Ctx, subscription: Subscription, trialEnd: number): void {
  changeSubscription(ctx, subscription, (s) => {
    s.status = 'trialing';
    s.trial_start ??= ctx.now();
    s.trial_end = trialEnd;
    s.billing_cycle_anchor = trialEnd;
    s.items.data[0]!.current_period_end = trialEnd;
    delete s._trialWillEndFor;
  });
}

function cancel(ctx: Ctx, id: string): Reply {
  const subscription = ctx.account.subscriptions.get(id);
  if (!subscription) return missing('subscription', id);
  if (subscription.status === 'canceled') return invalid('subscription', `No such subscription: '${id}' is already canceled.`);
  endSubscription(ctx, subscription, 'cancellation_requested');
  return ok(subscription);
}

function resumePaused(ctx: Ctx, id: string): Reply {
  const subscription = ctx.account.subscriptions.get(id);
  if (!subscription) return missing('subscription', id);
  if (subscription.status !== 'paused') return invalid('subscription', 'Only a subscription with status=paused can be resumed.');
  resume(ctx, subscription);
  return ok(subscription);
}

/** Without `status`, Stripe lists the subscriptions that are not canceled; `all` lists every one, `ended` the finished ones. */
function list(ctx: Ctx): Reply {
  const { params } = ctx;
  const status = text(params.status);
  const matchesStatus = (s: Subscription) => (status === 'all' ? true : status === 'ended' ? ['canceled', 'incomplete_expired'].includes(s.status)
    : status ? s.status === status : s.status !== 'canceled' && s.status !== 'incomplete_expired');
  const found = [...ctx.account.subscriptions.values()].filter((s) => matchesStatus(s)
    && (params.customer === undefined || s.customer === params.customer) && (params.price === undefined || s.items.data[0]!.price.id === params.price));
  return listOf(found, params, '/v1/subscriptions');
}

export const subscriptionRoutes = [
  route('POST', '/v1/subscriptions', create),
  route('GET', '/v1/subscriptions', list),
  route('GET', '/v1/subscriptions/:id', (ctx, id) => { const s = ctx.account.subscriptions.get(id); return s ? ok(s) : missing('subscription', id); }),
  route('POST', '/v1/subscriptions/:id', update),
  route('DELETE', '/v1/subscriptions/:id', cancel),
  route('POST', '/v1/subscriptions/:id/resume', resumePaused),
];
