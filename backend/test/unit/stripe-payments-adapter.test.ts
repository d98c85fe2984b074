import { expect } from 'chai';
import Stripe from 'stripe';
import { checkoutCompleted, FakeStripe, StripeWebhookSender, stripeTestKey } from '../../../tests/fakes/stripe/index.js';
import { StripePayments } from '../../src/adapters/payments/stripe.js';
import { PaymentsError } from '../../src/ports/payments.js';

async function failure(promise: Promise<unknown>): Promise<PaymentsError> {
  try {
    await promise;
  } catch (err) {
    expect(err).to.be.instanceOf(PaymentsError);
    return err as PaymentsError;
  }
  throw new Error('expected the call to fail');
}

describe('StripePayments (official SDK against the fake Stripe API)', () => {
  let fake: FakeStripe;
  let secretKey: string;
  let adapter: StripePayments;

  before(async () => {
    secretKey = stripeTestKey();
    fake = await FakeStripe.start({ secretKeys: [secretKey] });
    adapter = new StripePayments({ apiBaseUrl: fake.url, timeoutMs: 2000, maxNetworkRetries: 0 });
  });
  beforeEach(() => fake.reset());
  after(() => fake.close());

  it('when a link is made for an amount, then a one-off price is created and the link sells it', async () => {
    const link = await adapter.createPaymentLink({ secretKey }, {
      item: { amount: 4900, currency: 'usd', description: 'Deposit' }, quantity: 2, metadata: { contact: 'c1' },
    });
    expect(link.providerLinkId).to.match(/^plink_/);
    expect(link.url).to.include('/pay/');
    expect(link.active).to.equal(true);
    const account = fake.accounts.get(secretKey)!;
    expect(account.prices.get(link.priceId)).to.deep.include({ unit_amount: 4900, currency: 'usd' });
    expect([...account.products.values()][0]).to.deep.include({ name: 'Deposit' });
    expect(account.paymentLinks.get(link.providerLinkId)).to.deep.include({ metadata: { contact: 'c1' } });
  });

  it('when the same idempotency key is sent twice, then Stripe (the fake) returns the same link', async () => {
    const request = { item: { amount: 1000, currency: 'eur', description: 'Visit' }, quantity: 1, metadata: {}, idempotencyKey: 'k-1' };
    const first = await adapter.createPaymentLink({ secretKey }, request);
    const second = await adapter.createPaymentLink({ secretKey }, request);
    expect(second.providerLinkId).to.equal(first.providerLinkId);
    expect(fake.paymentLinks()).to.have.length(1);
  });

  it('when a link is read back, then its price comes from the expanded line items and active from Stripe', async () => {
    const price = await new Stripe(secretKey, { host: '127.0.0.1', port: fake.port, protocol: 'http' }).prices.create({
      currency: 'usd', unit_amount: 2500, product_data: { name: 'Consultation' },
    });
    const created = await adapter.createPaymentLink({ secretKey }, { item: { priceId: price.id }, quantity: 1, metadata: {} });
    fake.accounts.get(secretKey)!.paymentLinks.get(created.providerLinkId)!.active = false;
    const read = await adapter.getPaymentLink({ secretKey }, created.providerLinkId);
    expect(read).to.deep.include({ providerLinkId: created.providerLinkId, priceId: price.id, active: false });
  });

  it('when the key is wrong, then it fails as invalid_key', async () => {
    const err = await failure(adapter.createPaymentLink({ secretKey: stripeTestKey() }, { item: { priceId: 'price_x' }, quantity: 1, metadata: {} }));
    expect(err.reason).to.equal('invalid_key');
  });

  it('when the price does not exist, then it fails as rejected with Stripe\'s message', async () => {
    const err = await failure(adapter.createPaymentLink({ secretKey }, { item: { priceId: 'price_missing' }, quantity: 1, metadata: {} }));
    expect(err.reason).to.equal('rejected');
    expect(err.providerMessage).to.match(/No such price/);
  });

  it('when the link is unknown, then reading it fails as not_found', async () => {
    expect((await failure(adapter.getPaymentLink({ secretKey }, 'plink_unknown'))).reason).to.equal('not_found');
  });

  it('when Stripe fails with 500, then it fails as unavailable', async () => {
    fake.faults.failNext(1, { status: 500 });
    const err = await failure(adapter.createPaymentLink({ secretKey }, { item: { amount: 900, currency: 'usd', description: 'X' }, quantity: 1, metadata: {} }));
    expect(err.reason).to.equal('unavailable');
  });

  it('when the webhook sender signs an event, then the official SDK verifies it', () => {
    const secret = 'whsec_test_secret';
    const event = checkoutCompleted({ id: 'plink_1' }, 4900, 'usd');
    const payload = JSON.stringify(event);
    const header = new StripeWebhookSender(secret).signature(payload);
    const verified = Stripe.webhooks.constructEvent(payload, header, secret);
    expect(verified.type).to.equal('checkout.session.completed');
  });
});
