import { expect } from 'chai';
import Stripe from 'stripe';
import { clickButton, FakeStripe, WebhookReceiver } from '../../../tests/fakes/stripe/index.js';

const DAY = 86_400;
const JAN_1_2030 = Date.UTC(2030, 0, 1) / 1000;
const at = (month: number, day: number) => Date.UTC(2030, month - 1, day) / 1000;
const SIGNING_SECRET = 'whsec_test_billing_000000000000001';

/**
 * The fake Stripe's Billing, driven only through the official SDK (and plain HTTP for the hosted pages),
 * with every webhook verified by a receiver using Stripe.webhooks.constructEvent. Stripe's clock starts
 * at 2030-01-01T00:00Z so periods and prorations are exact numbers.
 */
describe('fake Stripe Billing (official SDK against the fake)', () => {
  let fake: FakeStripe;
  let receiver: WebhookReceiver;
  let stripe: Stripe;
  let key: string;

  before(async () => {
    fake = await FakeStripe.start();
    receiver = await new WebhookReceiver(SIGNING_SECRET).start();
  });
  beforeEach(() => {
    fake.reset();
    receiver.received.length = 0;
    key = fake.addAccount().secretKey;
    fake.addWebhookEndpoint(key, receiver.url, SIGNING_SECRET);
    fake.setClock(JAN_1_2030, key);
    stripe = new Stripe(key, { host: '127.0.0.1', port: fake.port, protocol: 'http', maxNetworkRetries: 0 });
  });
  after(async () => {
    await fake.close();
    await receiver.close();
  });

  async function monthly(amount: number, name = 'Growth') {
    const product = await stripe.products.create({ name });
    return stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: amount, recurring: { interval: 'month' } });
  }
  async function checkout(price: Stripe.Price, subscriptionData: Stripe.Checkout.SessionCreateParams.SubscriptionData = {}) {
    return stripe.checkout.sessions.create({
      mode: 'subscription', line_items: [{ price: price.id, quantity: 1 }], customer_email: 'owner@shop.test', client_reference_id: 'tenant-1',
      success_url: 'https://app.test/billing/done?session={CHECKOUT_SESSION_ID}', cancel_url: 'https://app.test/billing', subscription_data: subscriptionData,
    });
  }
  const pay = (session: Stripe.Checkout.Session, button = 'Pay') => clickButton(session.url!, button);
  async function subscriptionOf(session: Stripe.Checkout.Session) {
    const done = await stripe.checkout.sessions.retrieve(session.id);
    return stripe.subscriptions.retrieve(done.subscription as string);
  }
  async function customerWithCard() {
    return stripe.customers.create({ email: 'owner@shop.test', payment_method: 'pm_card_visa', invoice_settings: { default_payment_method: 'pm_card_visa' } });
  }

  it('when the buyer pays on the Checkout page, then the subscription is active, its first invoice paid, and signed events arrive in order', async () => {
    const price = await monthly(4900, 'Growth');
    const session = await checkout(price, { metadata: { tenant: 't1' } });
    expect(session).to.deep.include({ status: 'open', mode: 'subscription', client_reference_id: 'tenant-1', subscription: null });
    expect(session.id).to.match(/^cs_test_/);
    expect(session.url).to.equal(`${fake.pagesUrl}/checkout/${session.id}`);
    const page = await (await fetch(session.url!)).text();
    expect(page).to.include('Growth').and.include('49.00 USD').and.include('<button type="submit">Pay</button>').and.include('Pay with a failing card');

    const paid = await pay(session);
    expect(paid.status).to.equal(303);
    expect(paid.headers.get('location')).to.equal(`https://app.test/billing/done?session=${session.id}`);
    const done = await stripe.checkout.sessions.retrieve(session.id, { expand: ['subscription'] });
    expect(done).to.deep.include({ status: 'complete', payment_status: 'paid', url: null });
    const subscription = done.subscription as Stripe.Subscription;
    expect(subscription).to.deep.include({ status: 'active', customer: done.customer, metadata: { tenant: 't1' }, cancel_at_period_end: false, trial_end: null });
    expect(subscription.items.data[0]).to.deep.include({ current_period_start: JAN_1_2030, current_period_end: at(2, 1) });
    expect(subscription.items.data[0]!.price.id).to.equal(price.id);
    const invoice = await stripe.invoices.retrieve(subscription.latest_invoice as string);
    expect(invoice).to.deep.include({ status: 'paid', number: 'INV-0001', amount_due: 4900, amount_paid: 4900, currency: 'usd', customer: done.customer, billing_reason: 'subscription_create', period_start: JAN_1_2030, period_end: at(2, 1) });
    expect(invoice.parent?.subscription_details?.subscription).to.equal(subscription.id);
    expect(await (await fetch(invoice.hosted_invoice_url!)).text()).to.include('INV-0001').and.include('49.00 USD');
    expect((await (await fetch(invoice.invoice_pdf!)).text()).startsWith('%PDF-1.4')).to.equal(true);

    await fake.settled();
    expect(receiver.received.every((r) => r.verified)).to.equal(true);
    expect(receiver.types()).to.deep.equal(['customer.created', 'customer.subscription.created', 'invoice.created', 'invoice.finalized', 'invoice.paid',
      'invoice.payment_succeeded', 'customer.subscription.updated', 'checkout.session.completed']);
    const [completed] = receiver.events().slice(-1);
    expect(completed!.data.object).to.deep.include({ id: session.id, subscription: subscription.id, customer: done.customer, client_reference_id: 'tenant-1' });
    expect(completed!.created).to.equal(JAN_1_2030);
    const activated = receiver.events().find((e) => e.type === 'customer.subscription.updated')!;
    expect(activated.data.previous_attributes).to.deep.equal({ status: 'incomplete' });
    expect(activated.data.object).to.deep.include({ status: 'active' });
  });

  it('when the plan has a trial, then the subscription trials, warns three days before the end, and becomes active with a paid invoice an hour after', async () => {
    const session = await checkout(await monthly(4900), { trial_period_days: 14 });
    await pay(session);
    const trialing = await subscriptionOf(session);
    expect(trialing).to.deep.include({ status: 'trialing', trial_start: JAN_1_2030, trial_end: at(1, 15) });
    expect(await stripe.invoices.retrieve(trialing.latest_invoice as string)).to.deep.include({ status: 'paid', amount_due: 0 });

    fake.advanceClock(11 * DAY, key);
    await fake.settled();
    const warning = receiver.events().find((e) => e.type === 'customer.subscription.trial_will_end');
    expect(warning?.created).to.equal(at(1, 12));

    fake.advanceClock(3 * DAY, key);
    const active = await stripe.subscriptions.retrieve(trialing.id);
    expect(active).to.deep.include({ status: 'active' });
    expect(active.items.data[0]).to.deep.include({ current_period_start: at(1, 15), current_period_end: at(2, 15) });
    expect(await stripe.invoices.retrieve(active.latest_invoice as string)).to.deep.include({ status: 'draft', amount_due: 4900, number: null, billing_reason: 'subscription_cycle' });

    fake.advanceClock(3600, key);
    expect(await stripe.invoices.retrieve(active.latest_invoice as string)).to.deep.include({ status: 'paid', amount_paid: 4900, number: 'INV-0002' });
    await fake.settled();
    expect(receiver.events().find((e) => e.type === 'invoice.paid' && (e.data.object as Stripe.Invoice).number === 'INV-0002')?.created).to.equal(at(1, 15) + 3600);
  });

  it('when the card fails and no trial covers it, then Checkout refuses it and nothing is created', async () => {
    const session = await checkout(await monthly(4900));
    const declined = await pay(session, 'Pay with a failing card');
    expect(declined.status).to.equal(402);
    expect(await declined.text()).to.include('Your card was declined.');
    expect(await stripe.checkout.sessions.retrieve(session.id)).to.deep.include({ status: 'open', subscription: null });
    expect((await stripe.subscriptions.list({ status: 'all' })).data).to.have.length(0);
  });

  it('when the saved card fails at trial end, then past_due, retried on days 3, 5 and 7, then unpaid; paying the invoice makes it active again', async () => {
    const session = await checkout(await monthly(4900), { trial_period_days: 7 });
    await pay(session, 'Pay with a failing card');
    const subscription = await subscriptionOf(session);
    expect(subscription.status).to.equal('trialing');

    fake.advanceClock(7 * DAY + 3600, key);
    const failedAt = at(1, 8) + 3600;
    const pastDue = await stripe.subscriptions.retrieve(subscription.id);
    expect(pastDue.status).to.equal('past_due');
    const invoice = await stripe.invoices.retrieve(pastDue.latest_invoice as string);
    expect(invoice).to.deep.include({ status: 'open', attempt_count: 1, amount_paid: 0, next_payment_attempt: failedAt + 3 * DAY });

    fake.advanceClock(5 * DAY, key);
    expect(await stripe.invoices.retrieve(invoice.id)).to.deep.include({ attempt_count: 3, next_payment_attempt: failedAt + 7 * DAY });
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).to.equal('past_due');

    fake.advanceClock(2 * DAY, key);
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).to.equal('unpaid');
    expect(await stripe.invoices.retrieve(invoice.id)).to.deep.include({ status: 'open', attempt_count: 4, next_payment_attempt: null });
    await fake.settled();
    expect(receiver.types().filter((t) => t === 'invoice.payment_failed')).to.have.length(4);
    const statuses = receiver.events().filter((e) => e.type === 'customer.subscription.updated').map((e) => (e.data.object as Stripe.Subscription).status);
    expect(statuses).to.deep.equal(['active', 'past_due', 'unpaid']);

    const refused = await stripe.invoices.pay(invoice.id).catch((e: unknown) => e as Stripe.errors.StripeError);
    expect(refused).to.deep.include({ type: 'StripeCardError', statusCode: 402, code: 'card_declined' });
    fake.setPaymentOutcome(pastDue.customer as string, 'succeed', 1);
    expect(await stripe.invoices.pay(invoice.id)).to.deep.include({ status: 'paid', amount_paid: 4900 });
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).to.equal('active');
  });

  it('when the plan changes mid-period, then the unused time is credited and the rest charged at the new price, exactly, on the next invoice', async () => {
    const customer = await customerWithCard();
    const [basic, pro] = [await monthly(3000, 'Basic'), await monthly(6000, 'Pro')];
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: basic.id }], metadata: { tenant: 't9' } });
    expect(subscription.status).to.equal('active');
    fake.advanceClock(10 * DAY, key); // Jan 11: 21 of January's 31 days remain

    const changed = await stripe.subscriptions.update(subscription.id, { items: [{ id: subscription.items.data[0]!.id, price: pro.id }], proration_behavior: 'create_prorations' });
    expect(changed.items.data[0]!.price.id).to.equal(pro.id);
    const pending = await stripe.invoiceItems.list({ customer: customer.id, pending: true });
    // credit −round(3000 × 21/31) = −round(2032.26) = −2032; charge round(6000 × 21/31) = round(4064.52) = 4065
    expect(pending.data.map((ii) => ii.amount).sort((a, b) => a - b)).to.deep.equal([-2032, 4065]);
    expect(pending.data.every((ii) => ii.proration && ii.period.start === at(1, 11) && ii.period.end === at(2, 1))).to.equal(true);

    fake.advanceClock(21 * DAY + 3600, key);
    const renewal = await stripe.invoices.retrieve((await stripe.subscriptions.retrieve(subscription.id)).latest_invoice as string);
    expect(renewal).to.deep.include({ status: 'paid', amount_due: 6000 + 4065 - 2032, amount_paid: 8033, period_start: at(2, 1), period_end: at(3, 1) });
    expect(renewal.lines.data.map((l) => l.amount).sort((a, b) => a - b)).to.deep.equal([-2032, 4065, 6000]);
    expect((await stripe.invoiceItems.list({ customer: customer.id, pending: true })).data).to.have.length(0);
  });

  it('when the plan changes with always_invoice, then the difference is invoiced and charged at once', async () => {
    const customer = await customerWithCard();
    const [basic, pro] = [await monthly(3000, 'Basic'), await monthly(6000, 'Pro')];
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: basic.id }] });
    fake.advanceClock(10 * DAY, key);
    const changed = await stripe.subscriptions.update(subscription.id, { items: [{ id: subscription.items.data[0]!.id, price: pro.id }], proration_behavior: 'always_invoice' });
    const invoice = await stripe.invoices.retrieve(changed.latest_invoice as string);
    expect(invoice).to.deep.include({ status: 'paid', amount_paid: 2033, billing_reason: 'subscription_update' });
  });

  it('when the owner cancels in the Billing Portal, then it stays active until the period ends, then is canceled with no new invoice', async () => {
    const customer = await customerWithCard();
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: (await monthly(4900)).id }] });
    const portal = await stripe.billingPortal.sessions.create({ customer: customer.id, return_url: 'https://app.test/billing' });
    expect(portal.id).to.match(/^bps_/);
    const page = await (await fetch(portal.url)).text();
    expect(page).to.include('Growth').and.include('INV-0001').and.include('<a href="https://app.test/billing">Back</a>');
    const canceled = await clickButton(portal.url, 'Cancel at period end');
    expect(canceled.status).to.equal(303);

    const pending = await stripe.subscriptions.retrieve(subscription.id);
    expect(pending).to.deep.include({ status: 'active', cancel_at_period_end: true, cancel_at: at(2, 1), canceled_at: JAN_1_2030 });
    expect(await (await fetch(portal.url)).text()).to.include('Cancels on 2030-02-01');
    fake.advanceClock(31 * DAY, key);
    expect(await stripe.subscriptions.retrieve(subscription.id)).to.deep.include({ status: 'canceled', ended_at: at(2, 1) });
    expect((await stripe.invoices.list({ subscription: subscription.id })).data).to.have.length(1);
    await fake.settled();
    expect(receiver.types().slice(-2)).to.deep.equal(['customer.subscription.updated', 'customer.subscription.deleted']);
    expect(receiver.events().at(-2)!.data.previous_attributes).to.deep.include({ cancel_at_period_end: false, cancel_at: null });
  });

  it('when creates are retried with the same idempotency key, then one customer, one subscription and one invoice exist', async () => {
    const price = await monthly(4900);
    const first = await stripe.customers.create({ email: 'a@shop.test', payment_method: 'pm_card_visa' }, { idempotencyKey: 'tenant:1:customer' });
    const again = await stripe.customers.create({ email: 'a@shop.test', payment_method: 'pm_card_visa' }, { idempotencyKey: 'tenant:1:customer' });
    expect(again.id).to.equal(first.id);
    const params = { customer: first.id, items: [{ price: price.id }] };
    const subscription = await stripe.subscriptions.create(params, { idempotencyKey: 'tenant:1:subscription' });
    const replay = await stripe.subscriptions.create(params, { idempotencyKey: 'tenant:1:subscription' });
    expect(replay.id).to.equal(subscription.id);
    expect((await stripe.customers.list()).data).to.have.length(1);
    expect((await stripe.subscriptions.list({ status: 'all' })).data).to.have.length(1);
    expect((await stripe.invoices.list()).data).to.have.length(1);
  });

  it('when subscriptions and invoices are listed, then customer, status and subscription filters apply and canceled ones need status=all', async () => {
    const price = await monthly(4900);
    const [a, b] = [await customerWithCard(), await customerWithCard()];
    const kept = await stripe.subscriptions.create({ customer: a.id, items: [{ price: price.id }] });
    const ended = await stripe.subscriptions.create({ customer: b.id, items: [{ price: price.id }] });
    expect((await stripe.subscriptions.cancel(ended.id)).status).to.equal('canceled');
    const ids = (list: { data: { id: string }[] }) => list.data.map((x) => x.id);
    expect(ids(await stripe.subscriptions.list())).to.deep.equal([kept.id]);
    expect(ids(await stripe.subscriptions.list({ status: 'all' }))).to.deep.equal([ended.id, kept.id]);
    expect(ids(await stripe.subscriptions.list({ customer: b.id, status: 'all' }))).to.deep.equal([ended.id]);
    expect(ids(await stripe.subscriptions.list({ status: 'canceled' }))).to.deep.equal([ended.id]);
    expect(ids(await stripe.invoices.list({ customer: a.id }))).to.deep.equal([kept.latest_invoice as string]);
    expect(ids(await stripe.invoices.list({ subscription: ended.id }))).to.deep.equal([ended.latest_invoice as string]);
    const expanded = await stripe.subscriptions.retrieve(kept.id, { expand: ['latest_invoice', 'customer'] });
    expect((expanded.latest_invoice as Stripe.Invoice).amount_paid).to.equal(4900);
    expect((expanded.customer as Stripe.Customer).id).to.equal(a.id);
  });
});
