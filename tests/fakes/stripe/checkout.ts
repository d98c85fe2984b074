// Checkout Sessions in subscription mode. The session's `url` is a page the fake serves (pages.ts);
// paying there creates the customer if needed and the subscription (trialing, or active with a paid
// first invoice), completes the session and sends checkout.session.completed.
import type { Reply } from '../support/fake-server.js';
import type { Billing, Params } from './account.js';
import { createCustomer } from './customers.js';
import { stripeId } from './ids.js';
import { startSubscription } from './lifecycle.js';
import { attachCard } from './payments.js';
import { integer, invalid, isReply, listOf, mergeMetadata, missing, ok, required, text } from './replies.js';
import { route, type Ctx } from './routes.js';
import { recurringPrice } from './subscriptions.js';
import type { CheckoutSession } from './types.js';

const DAY = 86_400;

function create(ctx: Ctx): Reply {
  const { params } = ctx;
  if (params.mode !== 'subscription') return invalid('mode', 'The fake Stripe supports Checkout in mode=subscription only.');
  if (!text(params.success_url)) return required('success_url');
  const items = (params.line_items ?? []) as Params[];
  if (items.length !== 1) return items.length === 0 ? required('line_items') : invalid('line_items', 'The fake supports one line item.');
  const price = recurringPrice(ctx, text(items[0]!.price), 'line_items[0][price]');
  if (isReply(price)) return price;
  const customerId = text(params.customer) ?? null;
  if (customerId && !ctx.account.customers.has(customerId)) return missing('customer', customerId, 400, 'customer');
  if (customerId && params.customer_email) return invalid('customer_email', 'You may only specify one of these parameters: customer, customer_email.');
  const subscriptionData = (params.subscription_data ?? {}) as Params;
  const trialDays = integer(subscriptionData.trial_period_days) ?? null;
  if (Number.isNaN(trialDays)) return invalid('subscription_data[trial_period_days]', 'Invalid integer');
  const quantity = integer(items[0]!.quantity) ?? 1;
  const id = `cs_test_${stripeId('x').slice(2)}${stripeId('x').slice(2)}`;
  const amount = price.unit_amount * quantity;
  const session: CheckoutSession = {
    id, object: 'checkout.session', mode: 'subscription', status: 'open', payment_status: 'unpaid', url: `${ctx.pagesUrl}/checkout/${id}`,
    success_url: text(params.success_url)!, cancel_url: text(params.cancel_url) ?? null, client_reference_id: text(params.client_reference_id) ?? null,
    customer: customerId, customer_email: text(params.customer_email) ?? null, customer_details: null, metadata: mergeMetadata({}, params.metadata),
    subscription: null, invoice: null, currency: price.currency, amount_subtotal: trialDays ? 0 : amount,
    amount_total: trialDays ? 0 : amount, created: ctx.now(), expires_at: ctx.now() + DAY, livemode: false, payment_link: null,
    _lineItems: [{ price: price.id, quantity }], _trialDays: trialDays, _subscriptionMetadata: mergeMetadata({}, subscriptionData.metadata),
  };
  ctx.account.checkoutSessions.set(id, session);
  return ok(session);
}

export type CheckoutResult = { completed: true; redirect: string } | { completed: false; error: string };

/**
 * The buyer pays on the hosted page. A failing card is refused when money is due now (the session stays
 * open, as Stripe's page shows an error); with a trial it is saved and fails at the first renewal.
 */
export function payCheckout(b: Billing, session: CheckoutSession, card: 'good' | 'failing', email?: string): CheckoutResult {
  if (session.status !== 'open') return { completed: false, error: 'This Checkout Session is no longer active.' };
  const trialing = session._trialDays !== null && session._trialDays > 0;
  if (card === 'failing' && !trialing) return { completed: false, error: 'Your card was declined.' };
  const token = card === 'good' ? 'pm_card_visa' : 'pm_card_chargeCustomerFail';
  const customer = session.customer
    ? b.account.customers.get(session.customer)!
    : createCustomer(b, { email: session.customer_email ?? email ?? 'buyer@example.com', card: token });
  customer.invoice_settings.default_payment_method = attachCard(b.account, token);
  const line = session._lineItems[0]!;
  const subscription = startSubscription(b, {
    customer, price: b.account.prices.get(line.price)!, quantity: line.quantity, metadata: session._subscriptionMetadata,
    trialEnd: trialing ? b.now() + session._trialDays! * DAY : null,
  });
  Object.assign(session, {
    status: 'complete', payment_status: trialing ? 'no_payment_required' : 'paid', url: null, customer: customer.id,
    customer_details: { email: customer.email, name: customer.name }, subscription: subscription.id, invoice: subscription.latest_invoice,
  });
  b.emit('checkout.session.completed', session);
  return { completed: true, redirect: session.success_url!.replace('{CHECKOUT_SESSION_ID}', session.id) };
}

function lineItems(ctx: Ctx, id: string): Reply {
  const session = ctx.account.checkoutSessions.get(id);
  if (!session) return missing('checkout.session', id);
  const data = session._lineItems.map((item) => {
    const price = ctx.account.prices.get(item.price)!;
    return { id: `li_${item.price.slice(6)}`, object: 'item', price, quantity: item.quantity, currency: price.currency, amount_total: price.unit_amount * item.quantity, amount_subtotal: price.unit_amount * item.quantity, description: ctx.account.products.get(price.product)?.name ?? '' };
  });
  return listOf(data, ctx.params, `/v1/checkout/sessions/${id}/line_items`);
}

function expire(ctx: Ctx, id: string): Reply {
  const session = ctx.account.checkoutSessions.get(id);
  if (!session) return missing('checkout.session', id);
  if (session.status !== 'open') return invalid('session', 'Only Checkout Sessions with a status of `open` can be expired.');
  Object.assign(session, { status: 'expired', url: null });
  ctx.emit('checkout.session.expired', session);
  return ok(session);
}

export const checkoutRoutes = [
  route('POST', '/v1/checkout/sessions', create),
  route('GET', '/v1/checkout/sessions', (ctx) => listOf([...ctx.account.checkoutSessions.values()].filter((s) => ctx.params.customer === undefined || s.customer === ctx.params.customer), ctx.params, '/v1/checkout/sessions')),
  route('GET', '/v1/checkout/sessions/:id', (ctx, id) => { const s = ctx.account.checkoutSessions.get(id); return s ? ok(s) : missing('checkout.session', id); }),
  route('GET', '/v1/checkout/sessions/:id/line_items', lineItems),
  route('POST', '/v1/checkout/sessions/:id/expire', expire),
];
