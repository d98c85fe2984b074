import { expect } from 'chai';
import Stripe from 'stripe';
import { FakeStripe } from '../../../tests/fakes/stripe/index.js';

const DAY = 86_400;
const at = (year: number, month: number, day: number) => Date.UTC(year, month - 1, day) / 1000;

/** The rarer paths of the fake Stripe's subscription state machine, through the official SDK. */
describe('fake Stripe subscription lifecycle', () => {
  let fake: FakeStripe;
  let stripe: Stripe;
  let key: string;
  let monthly: Stripe.Price;

  before(async () => {
    fake = await FakeStripe.start();
  });
  beforeEach(async () => {
    fake.reset();
    key = fake.addAccount().secretKey;
    fake.setClock(at(2030, 1, 1), key);
    stripe = new Stripe(key, { host: '127.0.0.1', port: fake.port, protocol: 'http', maxNetworkRetries: 0 });
    monthly = await stripe.prices.create({ product_data: { name: 'Basic' }, currency: 'usd', unit_amount: 3000, recurring: { interval: 'month' } });
  });
  after(() => fake.close());

  const withCard = () => stripe.customers.create({ payment_method: 'pm_card_visa', invoice_settings: { default_payment_method: 'pm_card_visa' } });
  const types = () => fake.events(key).map((e) => e.type);

  it('when a customer without a card subscribes, then the subscription is incomplete and expires after 23 hours with its invoice voided', async () => {
    const customer = await stripe.customers.create({ email: 'nocard@shop.test' });
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: monthly.id }] });
    expect(subscription.status).to.equal('incomplete');
    expect((await stripe.invoices.retrieve(subscription.latest_invoice as string)).status).to.equal('open');
    fake.advanceClock(23 * 3600 - 1, key);
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).to.equal('incomplete');
    fake.advanceClock(1, key);
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).to.equal('incomplete_expired');
    expect((await stripe.invoices.retrieve(subscription.latest_invoice as string)).status).to.equal('void');
  });

  it('when a trial ends with no card and the trial settings say pause, then paused; resuming after adding a card charges a new period', async () => {
    const customer = await stripe.customers.create({ email: 'trial@shop.test' });
    const subscription = await stripe.subscriptions.create({
      customer: customer.id, items: [{ price: monthly.id }], trial_period_days: 7, trial_settings: { end_behavior: { missing_payment_method: 'pause' } },
    });
    fake.advanceClock(7 * DAY, key);
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).to.equal('paused');
    expect(types().slice(-2)).to.deep.equal(['customer.subscription.updated', 'customer.subscription.paused']);
    await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: 'pm_card_visa' } });
    const resumed = await stripe.subscriptions.resume(subscription.id);
    expect(resumed.status).to.equal('active');
    expect(resumed.items.data[0]).to.deep.include({ current_period_start: at(2030, 1, 8), current_period_end: at(2030, 2, 8) });
    expect((await stripe.invoices.retrieve(resumed.latest_invoice as string))).to.deep.include({ status: 'paid', amount_paid: 3000 });
    expect(types()).to.include('customer.subscription.resumed');
  });

  it('when collection is paused with behavior void, then the renewal invoice is voided and the subscription stays active', async () => {
    const subscription = await stripe.subscriptions.create({ customer: (await withCard()).id, items: [{ price: monthly.id }] });
    const paused = await stripe.subscriptions.update(subscription.id, { pause_collection: { behavior: 'void' } });
    expect(paused.pause_collection).to.deep.equal({ behavior: 'void', resumes_at: null });
    fake.advanceClock(31 * DAY + 3600, key);
    const renewed = await stripe.subscriptions.retrieve(subscription.id);
    expect(renewed.status).to.equal('active');
    expect((await stripe.invoices.retrieve(renewed.latest_invoice as string)).status).to.equal('void');
    await stripe.subscriptions.update(subscription.id, { pause_collection: '' });
    fake.advanceClock(28 * DAY + 3600, key);
    expect((await stripe.invoices.retrieve((await stripe.subscriptions.retrieve(subscription.id)).latest_invoice as string)).status).to.equal('paid');
  });

  it('when a trial is ended now, then trial_will_end is sent and the first period is charged at once', async () => {
    const subscription = await stripe.subscriptions.create({ customer: (await withCard()).id, items: [{ price: monthly.id }], trial_period_days: 30 });
    fake.advanceClock(2 * DAY, key);
    const ended = await stripe.subscriptions.update(subscription.id, { trial_end: 'now' });
    expect(ended).to.deep.include({ status: 'active', trial_end: at(2030, 1, 3) });
    expect(ended.items.data[0]).to.deep.include({ current_period_start: at(2030, 1, 3), current_period_end: at(2030, 2, 3) });
    expect((await stripe.invoices.retrieve(ended.latest_invoice as string))).to.deep.include({ status: 'paid', amount_paid: 3000 });
    expect(types()).to.include('customer.subscription.trial_will_end');
  });

  it('when a monthly plan becomes yearly, then the period restarts now and the invoice is the full year less the unused month, charged now', async () => {
    const yearly = await stripe.prices.create({ product_data: { name: 'Basic yearly' }, currency: 'usd', unit_amount: 30000, recurring: { interval: 'year' } });
    const subscription = await stripe.subscriptions.create({ customer: (await withCard()).id, items: [{ price: monthly.id }] });
    fake.advanceClock(10 * DAY, key);
    const changed = await stripe.subscriptions.update(subscription.id, { items: [{ id: subscription.items.data[0]!.id, price: yearly.id }] });
    expect(changed.items.data[0]).to.deep.include({ current_period_start: at(2030, 1, 11), current_period_end: at(2031, 1, 11) });
    // 30000 for the year, less round(3000 × 21/31) = 2032 unused
    expect(await stripe.invoices.retrieve(changed.latest_invoice as string)).to.deep.include({ status: 'paid', amount_paid: 27968, billing_reason: 'subscription_update' });
  });

  it('when a subscription is updated to an archived price or after it was canceled, then Stripe refuses', async () => {
    const subscription = await stripe.subscriptions.create({ customer: (await withCard()).id, items: [{ price: monthly.id }] });
    const archived = await stripe.prices.create({ product_data: { name: 'Old' }, currency: 'usd', unit_amount: 100, recurring: { interval: 'month' }, active: false });
    const refused = await stripe.subscriptions.update(subscription.id, { items: [{ id: subscription.items.data[0]!.id, price: archived.id }] }).then(() => undefined, (e: unknown) => e as Stripe.errors.StripeError);
    expect(refused).to.deep.include({ statusCode: 400 });
    expect(refused?.message).to.match(/inactive/);
    await stripe.subscriptions.cancel(subscription.id);
    const late = await stripe.subscriptions.update(subscription.id, { cancel_at_period_end: true }).catch((e: unknown) => e as Stripe.errors.StripeError);
    expect(late).to.deep.include({ statusCode: 400 });
    expect((await stripe.subscriptions.update(subscription.id, { metadata: { note: 'kept' } })).metadata).to.deep.equal({ note: 'kept' });
  });

  it('when months are shorter than the anchor day, then the period ends on the last day and returns to the anchor day after', async () => {
    fake.setClock(at(2031, 1, 31), key);
    const subscription = await stripe.subscriptions.create({ customer: (await withCard()).id, items: [{ price: monthly.id }] });
    expect(subscription.items.data[0]!.current_period_end).to.equal(at(2031, 2, 28));
    fake.advanceClock(28 * DAY, key);
    expect((await stripe.subscriptions.retrieve(subscription.id)).items.data[0]!.current_period_end).to.equal(at(2031, 3, 31));
  });
});
