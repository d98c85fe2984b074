// Invoices: drafted per period (with pending proration items), finalized (number, hosted page, PDF),
// paid or failed through the customer's card, retried on Stripe's schedule, and the subscription's
// status follows them: a failed renewal makes it past_due, exhausted retries unpaid, a paid invoice
// active again.
import type { Billing } from './account.js';
import { stripeId } from './ids.js';
import { chargeCustomer, type Charge } from './payments.js';
import { changeSubscription, endSubscription } from './subscription-events.js';
import type { Invoice, InvoiceLine, Price, Subscription, SubscriptionItem } from './types.js';

export type LineInput = { amount: number; description: string; price: Price; item: SubscriptionItem; period: { start: number; end: number }; proration: boolean; invoiceItem?: string; quantity: number };

/** A draft invoice for the subscription: `lines` plus every pending invoice item of it. Emits invoice.created. */
export function draftInvoice(b: Billing, subscription: Subscription, reason: Invoice['billing_reason'], period: { start: number; end: number }, lines: LineInput[]): Invoice {
  const customer = b.account.customers.get(subscription.customer);
  const id = stripeId('in');
  const pending = [...b.account.invoiceItems.values()].filter((ii) => ii.invoice === null && ii.parent.subscription_details.subscription === subscription.id);
  const item = subscription.items.data[0]!;
  for (const ii of pending) ii.invoice = id;
  const all = [
    ...pending.map((ii) => ({ amount: ii.amount, description: ii.description, price: b.account.prices.get(ii.pricing.price_details.price)!, item, period: ii.period, proration: ii.proration, invoiceItem: ii.id, quantity: ii.quantity })),
    ...lines,
  ];
  const total = all.reduce((sum, line) => sum + line.amount, 0);
  const invoice: Invoice = {
    id, object: 'invoice', number: null, status: 'draft', customer: subscription.customer, customer_email: customer?.email ?? null,
    customer_name: customer?.name ?? null, currency: subscription.currency, amount_due: Math.max(total, 0), amount_paid: 0,
    amount_remaining: Math.max(total, 0), subtotal: total, total, attempt_count: 0, attempted: false, auto_advance: true,
    next_payment_attempt: null, billing_reason: reason, collection_method: 'charge_automatically', created: b.now(), effective_at: null,
    period_start: period.start, period_end: period.end, hosted_invoice_url: null, invoice_pdf: null, livemode: false, metadata: {},
    description: null, lines: { object: 'list', data: all.map((line) => invoiceLine(id, subscription, line)), has_more: false, url: `/v1/invoices/${id}/lines` },
    parent: { type: 'subscription_details', quote_details: null, subscription_details: { subscription: subscription.id, metadata: { ...subscription.metadata } } },
    status_transitions: { finalized_at: null, paid_at: null, marked_uncollectible_at: null, voided_at: null },
  };
  invoice.lines.total_count = all.length;
  b.account.invoices.set(id, invoice);
  subscription.latest_invoice = id;
  return invoice;
}

function invoiceLine(invoice: string, subscription: Subscription, line: LineInput): InvoiceLine {
  return {
    id: stripeId('il'), object: 'line_item', amount: line.amount, currency: subscription.currency, description: line.description, invoice,
    livemode: false, metadata: {}, period: line.period, quantity: line.quantity,
    pricing: { type: 'price_details', price_details: { price: line.price.id, product: line.price.product }, unit_amount_decimal: String(line.price.unit_amount) },
    parent: { type: 'subscription_item_details', subscription_item_details: { subscription: subscription.id, subscription_item: line.item.id, proration: line.proration, invoice_item: line.invoiceItem ?? null } },
  };
}

/** The plain charge for one period of the subscription's price. */
export function periodLine(b: Billing, subscription: Subscription, period: { start: number; end: number }): LineInput {
  const item = subscription.items.data[0]!;
  const product = b.account.products.get(item.price.product);
  const description = `${item.quantity} × ${product?.name ?? item.price.product} (at ${item.price.unit_amount} / ${item.price.recurring?.interval ?? 'one time'})`;
  return { amount: item.price.unit_amount * item.quantity, description, price: item.price, item, period, proration: false, quantity: item.quantity };
}

/** draft → open: a number (INV-0001, per account), the hosted page and PDF. A zero total is paid at once. */
export function finalizeInvoice(b: Billing, invoice: Invoice): void {
  if (invoice.status !== 'draft') return;
  b.account.invoiceSequence += 1;
  invoice.number = `INV-${String(b.account.invoiceSequence).padStart(4, '0')}`;
  invoice.status = 'open';
  invoice.effective_at = b.now();
  invoice.status_transitions.finalized_at = b.now();
  invoice.hosted_invoice_url = `${b.pagesUrl}/invoices/${invoice.id}`;
  invoice.invoice_pdf = `${b.pagesUrl}/invoices/${invoice.id}/pdf`;
  delete invoice._finalizeAt;
  b.emit('invoice.finalized', invoice);
  if (invoice.amount_due === 0) markPaid(b, invoice);
}

/** One payment attempt (automatic or by POST /v1/invoices/:id/pay); the subscription follows the outcome. */
export function payInvoice(b: Billing, invoice: Invoice, automatic = true): Charge {
  if (invoice.status === 'draft') finalizeInvoice(b, invoice);
  if (invoice.status === 'paid') return { paid: true };
  const subscription = subscriptionOf(b, invoice);
  const charge = chargeCustomer(b.account, invoice.customer, subscription?.default_payment_method ?? undefined);
  invoice.attempted = true;
  invoice.attempt_count += 1;
  if (charge.paid) {
    markPaid(b, invoice);
    return charge;
  }
  invoice._firstFailedAt ??= b.now();
  if (automatic) {
    invoice._autoFailures = (invoice._autoFailures ?? 0) + 1;
    scheduleRetry(b, invoice, subscription);
  }
  b.emit('invoice.payment_failed', invoice);
  if (subscription) afterFailure(b, subscription, invoice);
  return charge;
}

function markPaid(b: Billing, invoice: Invoice): void {
  invoice.status = 'paid';
  invoice.amount_paid = invoice.amount_due;
  invoice.amount_remaining = 0;
  invoice.next_payment_attempt = null;
  invoice.auto_advance = false;
  invoice.status_transitions.paid_at = b.now();
  b.emit('invoice.paid', invoice);
  b.emit('invoice.payment_succeeded', invoice);
  const subscription = subscriptionOf(b, invoice);
  const recovering = subscription && ['incomplete', 'past_due', 'unpaid'].includes(subscription.status);
  const stillOwing = subscription && [...b.account.invoices.values()].some((other) => other.status === 'open' && other.parent?.subscription_details.subscription === subscription.id);
  if (recovering && !stillOwing) changeSubscription(b, subscription, (s) => { s.status = 'active'; });
}

/** Retries `dunning.retryDays` days after the first failure (the subscription's first invoice is not retried: it expires). */
function scheduleRetry(b: Billing, invoice: Invoice, subscription: Subscription | undefined): void {
  const { retryDays } = b.account.dunning;
  const next = retryDays[(invoice._autoFailures ?? 1) - 1];
  const retried = subscription && subscription.status !== 'incomplete' && invoice.billing_reason !== 'subscription_create';
  invoice.next_payment_attempt = retried && next !== undefined ? invoice._firstFailedAt! + next * 86_400 : null;
}

function afterFailure(b: Billing, subscription: Subscription, invoice: Invoice): void {
  if (subscription.status === 'active' || subscription.status === 'trialing') {
    changeSubscription(b, subscription, (s) => { s.status = 'past_due'; });
  }
  const exhausted = invoice.next_payment_attempt === null && (invoice._autoFailures ?? 0) > b.account.dunning.retryDays.length;
  if (!exhausted || subscription.status !== 'past_due') return;
  if (b.account.dunning.markUncollectible) {
    invoice.status = 'uncollectible';
    invoice.status_transitions.marked_uncollectible_at = b.now();
    b.emit('invoice.marked_uncollectible', invoice);
  }
  if (b.account.dunning.onExhausted === 'canceled') endSubscription(b, subscription, 'payment_failed');
  else changeSubscription(b, subscription, (s) => { s.status = 'unpaid'; });
}

export function voidInvoice(b: Billing, invoice: Invoice): void {
  invoice.status = 'void';
  invoice.amount_remaining = 0;
  invoice.next_payment_attempt = null;
  invoice.status_transitions.voided_at = b.now();
  b.emit('invoice.voided', invoice);
}

export function subscriptionOf(b: Billing, invoice: Invoice): Subscription | undefined {
  const id = invoice.parent?.subscription_details.subscription;
  return id ? b.account.subscriptions.get(id) : undefined;
}
