import { expect } from 'chai';
import Stripe from 'stripe';
import { FakeStripe, WebhookReceiver } from '../../../tests/fakes/stripe/index.js';

const SECRET = 'whsec_test_webhooks_00000000000001';
const JAN_1_2030 = Date.UTC(2030, 0, 1) / 1000;

/** How the fake Stripe sends events: signed like Stripe, retried, recorded, replayable, and holdable for out-of-order tests. */
describe('fake Stripe webhooks and test controls', () => {
  let fake: FakeStripe;
  let receiver: WebhookReceiver;
  let stripe: Stripe;
  let key: string;

  before(async () => {
    fake = await FakeStripe.start();
    receiver = await new WebhookReceiver(SECRET).start();
  });
  beforeEach(() => {
    fake.reset();
    fake.webhooks.retryDelaysMs = [5, 5, 5];
    receiver.received.length = 0;
    receiver.failNext = 0;
    key = fake.addAccount().secretKey;
    fake.setClock(JAN_1_2030, key);
    stripe = new Stripe(key, { host: '127.0.0.1', port: fake.port, protocol: 'http', maxNetworkRetries: 0 });
  });
  after(async () => {
    await fake.close();
    await receiver.close();
  });

  const customerEvents = () => fake.deliveries().filter((d) => d.type === 'customer.created');

  it('when the endpoint answers 500 twice, then the event is retried and arrives once, verified; every attempt is recorded', async () => {
    fake.addWebhookEndpoint(key, receiver.url, SECRET);
    receiver.failNext = 2;
    const customer = await stripe.customers.create({ email: 'a@shop.test' });
    await fake.settled();
    expect(customerEvents().map((d) => [d.attempt, d.status])).to.deep.equal([[1, 500], [2, 500], [3, 200]]);
    expect(receiver.events().map((e) => [e.type, (e.data.object as Stripe.Customer).id])).to.deep.equal([['customer.created', customer.id]]);
  });

  it('when the endpoint keeps failing, then Stripe gives up after the last retry', async () => {
    fake.addWebhookEndpoint(key, receiver.url, SECRET);
    receiver.failNext = 100;
    await stripe.customers.create({ email: 'a@shop.test' });
    await fake.settled();
    expect(customerEvents().map((d) => d.status)).to.deep.equal([500, 500, 500, 500]);
    expect(receiver.events()).to.have.length(0);
  });

  it('when the endpoint was given another secret, then the signature does not verify and the delivery is a 400', async () => {
    fake.addWebhookEndpoint(key, receiver.url, 'whsec_someone_else_0000000000000');
    fake.webhooks.retryDelaysMs = [];
    await stripe.customers.create({ email: 'a@shop.test' });
    await fake.settled();
    expect(receiver.received.map((r) => r.verified)).to.deep.equal([false]);
    expect(customerEvents().map((d) => d.status)).to.deep.equal([400]);
  });

  it('when an event is redelivered, then the same event id arrives again with a fresh valid signature', async () => {
    fake.addWebhookEndpoint(key, receiver.url, SECRET);
    await stripe.customers.create({ email: 'a@shop.test' });
    await fake.settled();
    const [event] = fake.events(key);
    fake.redeliver(event!.id);
    await fake.settled();
    expect(receiver.events().map((e) => e.id)).to.deep.equal([event!.id, event!.id]);
    expect(receiver.received.every((r) => r.verified)).to.equal(true);
  });

  it('when deliveries are held, then nothing arrives until released, and they arrive in the order the test chooses', async () => {
    fake.addWebhookEndpoint(key, receiver.url, SECRET);
    fake.holdDeliveries();
    const ids = [];
    for (const email of ['1@x.test', '2@x.test', '3@x.test']) ids.push((await stripe.customers.create({ email })).id);
    await fake.settled();
    expect(receiver.received).to.have.length(0);
    await fake.releaseDeliveries((events) => [...events].reverse());
    expect(receiver.events().map((e) => (e.data.object as Stripe.Customer).id)).to.deep.equal([...ids].reverse());
    await stripe.customers.create({ email: '4@x.test' });
    await fake.settled();
    expect(receiver.events()).to.have.length(4);
  });

  it('when an endpoint is created through the API for some events, then it gets a whsec_ secret once and only those events', async () => {
    const endpoint = await stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ['invoice.paid', 'customer.subscription.created'] });
    expect(endpoint.secret).to.match(/^whsec_/);
    expect((await stripe.webhookEndpoints.retrieve(endpoint.id)).secret).to.equal(undefined);
    receiver.secret = endpoint.secret!;
    try {
      const price = await stripe.prices.create({ product_data: { name: 'P' }, currency: 'usd', unit_amount: 900, recurring: { interval: 'month' } });
      const customer = await stripe.customers.create({ payment_method: 'pm_card_visa', invoice_settings: { default_payment_method: 'pm_card_visa' } });
      await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
      await fake.settled();
      expect(receiver.types()).to.deep.equal(['customer.subscription.created', 'invoice.paid']);
    } finally {
      receiver.secret = SECRET;
    }
  });

  it('when events are listed through the API, then they carry the fake clock time, the SDK API version and filter by type', async () => {
    await stripe.customers.create({ email: 'a@shop.test' });
    const customer = await stripe.customers.update((await stripe.customers.list()).data[0]!.id, { name: 'Ada' });
    const updated = await stripe.events.list({ type: 'customer.updated' });
    expect(updated.data).to.have.length(1);
    expect(updated.data[0]).to.deep.include({ created: JAN_1_2030, api_version: Stripe.API_VERSION, type: 'customer.updated' });
    expect(updated.data[0]!.data.previous_attributes).to.deep.equal({ name: null });
    expect((await stripe.events.retrieve(updated.data[0]!.id)).data.object).to.deep.include({ id: customer.id, name: 'Ada' });
    expect((await stripe.events.list({ types: ['customer.*'] })).data.map((e) => e.type)).to.deep.equal(['customer.updated', 'customer.created']);
  });

  it('when another process uses the /__fake/ controls, then the clock advances, the next payment fails and state lists the events', async () => {
    const control = (action: string, body: object) => fetch(`${fake.url}/__fake/${action}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const price = await stripe.prices.create({ product_data: { name: 'P' }, currency: 'usd', unit_amount: 900, recurring: { interval: 'month' } });
    const customer = await stripe.customers.create({ payment_method: 'pm_card_visa', invoice_settings: { default_payment_method: 'pm_card_visa' } });
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    expect((await control('payments', { customer: customer.id, outcome: 'fail', count: 1 })).status).to.equal(200);
    expect((await control('clock/advance', { seconds: 31 * 86_400 + 3600, secretKey: key })).status).to.equal(200);
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).to.equal('past_due');
    expect((await control('clock/advance', { seconds: 3 * 86_400, secretKey: key })).status).to.equal(200);
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).to.equal('active');
    const state = (await (await fetch(`${fake.url}/__fake/state`)).json()) as { accounts: { now: number; events: { type: string }[] }[] };
    const account = state.accounts.find((a) => a.now === JAN_1_2030 + 34 * 86_400 + 3600)!;
    expect(account.events.map((e) => e.type)).to.include.members(['invoice.payment_failed', 'invoice.paid']);
    expect((await control('payments', { customer: 'cus_unknown', outcome: 'fail' })).status).to.equal(400);
  });
});
