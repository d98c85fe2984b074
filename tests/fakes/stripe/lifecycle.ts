// The subscription state machine: start (trialing, or incomplete → active when the first invoice is
// paid), renew at period end (trial end included), plan change with proration, cancel at period end,
// pause/resume, and the expiry of an unpaid first invoice. Invoices and their effect on the status are
// in invoices.ts; the clock that calls `renew` and friends is clock.ts.
import type { Billing } from './account.js';
import { stripeId } from './ids.js';
import { draftInvoice, finalizeInvoice, payInvoice, periodLine, voidInvoice, type LineInput } from './invoices.js';
import { nextPeriodEnd, prorate, sameCycle } from './periods.js';
import { changeSubscription, endSubscription } from './subscription-events.js';
import type { Customer, Metadata, Price, Subscription } from './types.js';

const DAY = 86_400;
export type StartInput = {
  customer: Customer; price: Price; quantity: number; trialEnd: number | null; metadata: Metadata;
  missingPaymentMethod?: Subscription['trial_settings']['end_behavior']['missing_payment_method']; attemptPayment?: boolean;
};

export function startSubscription(b: Billing, input: StartInput): Subscription {
  const now = b.now();
  const trialing = input.trialEnd !== null && input.trialEnd > now;
  const id = stripeId('sub');
  const subscription: Subscription = {
    id, object: 'subscription', status: trialing ? 'trialing' : 'incomplete', customer: input.customer.id, currency: input.price.currency,
    created: now, start_date: now, billing_cycle_anchor: trialing ? input.trialEnd! : now, cancel_at: null, cancel_at_period_end: false,
    canceled_at: null, ended_at: null, cancellation_details: { comment: null, feedback: null, reason: null }, collection_method: 'charge_automatically',
    default_payment_method: null, description: null, discounts: [], latest_invoice: null, livemode: false, metadata: input.metadata,
    pause_collection: null, trial_start: trialing ? now : null, trial_end: trialing ? input.trialEnd : null,
    trial_settings: { end_behavior: { missing_payment_method: input.missingPaymentMethod ?? 'create_invoice' } },
    items: { object: 'list', data: [], has_more: false, total_count: 1, url: `/v1/subscription_items?subscription=${id}` },
  };
  const end = trialing ? input.trialEnd! : nextPeriodEnd(subscription, now, input.price);
  subscription.items.data.push({
    id: stripeId('si'), object: 'subscription_item', created: now, current_period_start: now, current_period_end: end, metadata: {},
    price: input.price, quantity: input.quantity, subscription: id, discounts: [], tax_rates: [],
  });
  b.account.subscriptions.set(id, subscription);
  const line = periodLine(b, subscription, { start: now, end });
  const invoice = draftInvoice(b, subscription, 'subscription_create', { start: now, end }, [trialing ? { ...line, amount: 0, description: `Trial period for ${line.description}` } : line]);
  if (!trialing) subscription._incompleteUntil = now + 23 * 3600;
  b.emit('customer.subscription.created', subscription);
  b.emit('invoice.created', invoice);
  finalizeInvoice(b, invoice);
  if (!trialing && input.attemptPayment !== false) payInvoice(b, invoice, false);
  if (trialing && input.trialEnd! - 3 * DAY <= now) trialWillEnd(b, subscription);
  return subscription;
}

export function trialWillEnd(b: Billing, subscription: Subscription): void {
  subscription._trialWillEndFor = subscription.trial_end!;
  b.emit('customer.subscription.trial_will_end', subscription);
}

/** At the end of the current period (or trial): cancel if asked, else roll to the next period and invoice it. */
export function renew(b: Billing, subscription: Subscription): void {
  const at = b.now();
  if (subscription.cancel_at_period_end || (subscription.cancel_at !== null && subscription.cancel_at <= at)) {
    return endSubscription(b, subscription, 'cancellation_requested', at);
  }
  const item = subscription.items.data[0]!;
  const wasTrial = subscription.status === 'trialing';
  const hasCard = Boolean(subscription.default_payment_method ?? b.account.customers.get(subscription.customer)?.invoice_settings.default_payment_method)
    || b.account.paymentSwitches.get(subscription.customer)?.standing === 'succeed';
  const behaviour = subscription.trial_settings.end_behavior.missing_payment_method;
  if (wasTrial && !hasCard && behaviour === 'cancel') return endSubscription(b, subscription, 'trial_ended', at);
  if (wasTrial && !hasCard && behaviour === 'pause') {
    return changeSubscription(b, subscription, (s) => { s.status = 'paused'; }, 'customer.subscription.paused');
  }
  const period = { start: at, end: nextPeriodEnd(subscription, at, item.price) };
  let invoice = undefined as ReturnType<typeof draftInvoice> | undefined;
  changeSubscription(b, subscription, (s) => {
    if (wasTrial) s.status = 'active';
    item.current_period_start = period.start;
    item.current_period_end = period.end;
    invoice = draftInvoice(b, s, 'subscription_cycle', period, [periodLine(b, s, period)]);
  });
  b.emit('invoice.created', invoice!);
  collectRenewal(b, subscription, invoice!);
}

/** A renewal invoice finalizes an hour later and is charged, unless collection is paused or the subscription is unpaid. */
function collectRenewal(b: Billing, subscription: Subscription, invoice: NonNullable<ReturnType<typeof draftInvoice>>): void {
  const pause = subscription.pause_collection?.behavior;
  if (pause === 'void') {
    finalizeInvoice(b, invoice);
    if (invoice.status === 'open') voidInvoice(b, invoice);
  } else if (pause === 'mark_uncollectible') {
    finalizeInvoice(b, invoice);
    if (invoice.status === 'open') {
      invoice.status = 'uncollectible';
      invoice.status_transitions.marked_uncollectible_at = b.now();
      b.emit('invoice.marked_uncollectible', invoice);
    }
  } else if (pause === 'keep_as_draft' || subscription.status === 'unpaid') {
    invoice.auto_advance = false;
  } else {
    invoice._finalizeAt = b.now() + 3600;
  }
}

/**
 * A new price for the (single) item. Same interval: prorations (credit for the unused time of the old
 * price, charge for the remaining time of the new one; see periods.ts `prorate`) as pending invoice items
 * for the next invoice, or invoiced now with always_invoice. Another interval: the period restarts now
 * and is invoiced now (credit + the full new price). During a trial nothing is prorated.
 */
export function changePrice(b: Billing, subscription: Subscription, price: Price, quantity: number, behaviour: string): void {
  const now = b.now();
  const item = subscription.items.data[0]!;
  const old = { price: item.price, quantity: item.quantity, start: item.current_period_start, end: item.current_period_end };
  const restart = subscription.status !== 'trialing' && !sameCycle(old.price, price);
  const prorations: LineInput[] = [];
  if (subscription.status !== 'trialing' && behaviour !== 'none') {
    const total = old.end - old.start;
    const period = { start: now, end: old.end };
    const credit = -prorate(old.price.unit_amount * old.quantity, old.end - now, total);
    prorations.push({ amount: credit, description: `Unused time on ${old.quantity} × ${old.price.id} after ${now}`, price: old.price, item, period, proration: true, quantity: old.quantity });
    if (!restart) prorations.push({ amount: prorate(price.unit_amount * quantity, old.end - now, total), description: `Remaining time on ${quantity} × ${price.id} after ${now}`, price, item, period, proration: true, quantity });
  }
  let invoice: ReturnType<typeof draftInvoice> | undefined;
  changeSubscription(b, subscription, (s) => {
    item.price = price;
    item.quantity = quantity;
    for (const line of prorations) addInvoiceItem(b, s, line);
    if (restart) {
      s.billing_cycle_anchor = now;
      item.current_period_start = now;
      item.current_period_end = nextPeriodEnd(s, now, price);
    }
    if (restart || (behaviour === 'always_invoice' && prorations.length > 0)) {
      const period = { start: now, end: item.current_period_end };
      invoice = draftInvoice(b, s, 'subscription_update', period, restart ? [periodLine(b, s, period)] : []);
    }
  });
  if (!invoice) return;
  b.emit('invoice.created', invoice);
  payInvoice(b, invoice);
}

function addInvoiceItem(b: Billing, subscription: Subscription, line: LineInput): void {
  const id = stripeId('ii');
  b.account.invoiceItems.set(id, {
    id, object: 'invoiceitem', amount: line.amount, currency: subscription.currency, customer: subscription.customer, date: b.now(),
    description: line.description, invoice: null, livemode: false, metadata: {}, period: line.period, proration: line.proration, quantity: line.quantity,
    pricing: { type: 'price_details', price_details: { price: line.price.id, product: line.price.product }, unit_amount_decimal: String(line.price.unit_amount) },
    parent: { type: 'subscription_details', subscription_details: { subscription: subscription.id, subscription_item: line.item.id } },
  });
}

/** trial_end=now: the trial stops, a period starts now and is invoiced and charged now. */
export function endTrialNow(b: Billing, subscription: Subscription): void {
  const now = b.now();
  const item = subscription.items.data[0]!;
  trialWillEnd(b, subscription);
  let invoice: ReturnType<typeof draftInvoice> | undefined;
  changeSubscription(b, subscription, (s) => {
    s.status = 'active';
    s.trial_end = now;
    s.billing_cycle_anchor = now;
    item.current_period_start = now;
    item.current_period_end = nextPeriodEnd(s, now, item.price);
    invoice = draftInvoice(b, s, 'subscription_update', { start: now, end: item.current_period_end }, [periodLine(b, s, { start: now, end: item.current_period_end })]);
  });
  b.emit('invoice.created', invoice!);
  payInvoice(b, invoice!);
}

/** POST /v1/subscriptions/:id/resume: a paused subscription starts a new period now, invoiced now. */
export function resume(b: Billing, subscription: Subscription): void {
  const now = b.now();
  const item = subscription.items.data[0]!;
  let invoice: ReturnType<typeof draftInvoice> | undefined;
  changeSubscription(b, subscription, (s) => {
    s.status = 'active';
    s.billing_cycle_anchor = now;
    item.current_period_start = now;
    item.current_period_end = nextPeriodEnd(s, now, item.price);
    invoice = draftInvoice(b, s, 'subscription_update', { start: now, end: item.current_period_end }, [periodLine(b, s, { start: now, end: item.current_period_end })]);
  }, 'customer.subscription.resumed');
  b.emit('invoice.created', invoice!);
  payInvoice(b, invoice!);
}

/** A first invoice left unpaid for 23 hours: the subscription is incomplete_expired and the invoice void. */
export function expireIncomplete(b: Billing, subscription: Subscription): void {
  delete subscription._incompleteUntil;
  const invoice = subscription.latest_invoice ? b.account.invoices.get(subscription.latest_invoice) : undefined;
  changeSubscription(b, subscription, (s) => { s.status = 'incomplete_expired'; s.ended_at = b.now(); });
  if (invoice?.status === 'open') voidInvoice(b, invoice);
}
