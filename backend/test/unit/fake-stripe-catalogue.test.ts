import { expect } from 'chai';
import Stripe from 'stripe';
import { FakeStripe, stripeTestKey } from '../../../tests/fakes/stripe/index.js';

/** The fake Stripe's catalogue, driven only through the official SDK as the backend drives the real one. */
describe('fake Stripe catalogue (official SDK against the fake)', () => {
  let fake: FakeStripe;
  let stripe: Stripe;
  const secretKey = stripeTestKey();

  before(async () => {
    fake = await FakeStripe.start({ secretKeys: [secretKey] });
    stripe = new Stripe(secretKey, { host: '127.0.0.1', port: fake.port, protocol: 'http', maxNetworkRetries: 0 });
  });
  beforeEach(() => fake.reset());
  after(() => fake.close());

  it('when a product gets a monthly and a yearly price, then both read back as recurring prices of that product', async () => {
    const product = await stripe.products.create({ name: 'Growth', description: 'For busy shops', metadata: { plan: 'p1' } });
    const monthly = await stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 4900, recurring: { interval: 'month' }, lookup_key: 'growth_m' });
    const yearly = await stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 49000, recurring: { interval: 'year' }, metadata: { v: '1' } });
    expect(monthly).to.deep.include({ type: 'recurring', unit_amount: 4900, currency: 'usd', product: product.id, active: true, lookup_key: 'growth_m' });
    expect(monthly.recurring).to.deep.include({ interval: 'month', interval_count: 1 });
    expect(yearly.recurring).to.deep.include({ interval: 'year', interval_count: 1 });
    expect(await stripe.products.retrieve(product.id)).to.deep.include({ name: 'Growth', description: 'For busy shops', metadata: { plan: 'p1' }, active: true });
    expect((await stripe.prices.retrieve(yearly.id)).metadata).to.deep.equal({ v: '1' });
  });

  it('when a product is renamed and archived, then it reads back renamed, inactive, with merged metadata', async () => {
    const product = await stripe.products.create({ name: 'Starter', metadata: { a: '1', b: '2' } });
    const updated = await stripe.products.update(product.id, { name: 'Starter v2', description: 'Now with SMS', active: false, metadata: { b: '', c: '3' } });
    expect(updated).to.deep.include({ name: 'Starter v2', description: 'Now with SMS', active: false, metadata: { a: '1', c: '3' } });
    expect(await stripe.products.retrieve(product.id)).to.deep.include({ active: false, name: 'Starter v2' });
  });

  it('when a price is archived, then it is inactive and the active-only list of its product leaves it out', async () => {
    const product = await stripe.products.create({ name: 'Pro' });
    const old = await stripe.prices.create({ product: product.id, currency: 'eur', unit_amount: 9900, recurring: { interval: 'month' } });
    const current = await stripe.prices.create({ product: product.id, currency: 'eur', unit_amount: 10900, recurring: { interval: 'month' } });
    const other = await stripe.products.create({ name: 'Other' });
    await stripe.prices.create({ product: other.id, currency: 'eur', unit_amount: 100, recurring: { interval: 'month' } });
    expect((await stripe.prices.update(old.id, { active: false, metadata: { archived: 'yes' } }))).to.deep.include({ active: false, metadata: { archived: 'yes' } });
    const active = await stripe.prices.list({ product: product.id, active: true });
    expect(active).to.deep.include({ object: 'list', has_more: false, url: '/v1/prices' });
    expect(active.data.map((p) => p.id)).to.deep.equal([current.id]);
    expect((await stripe.prices.list({ product: product.id })).data.map((p) => p.id)).to.deep.equal([current.id, old.id]);
    expect((await stripe.prices.list({ active: false })).data.map((p) => p.id)).to.deep.equal([old.id]);
  });

  it('when a price is changed in amount, then Stripe refuses: prices are immutable', async () => {
    const price = await stripe.prices.create({ product_data: { name: 'X' }, currency: 'usd', unit_amount: 500, recurring: { interval: 'month' } });
    const err = await stripe.prices.update(price.id, { unit_amount: 600 } as Stripe.PriceUpdateParams).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(Stripe.errors.StripeInvalidRequestError);
    expect((err as Stripe.errors.StripeError).message).to.equal('Received unknown parameter: unit_amount');
    expect((await stripe.prices.retrieve(price.id)).unit_amount).to.equal(500);
  });

  it('when a lookup key is reused, then it is refused unless transferred', async () => {
    const product = await stripe.products.create({ name: 'K' });
    const first = await stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 1, lookup_key: 'k' });
    const refused = await stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 2, lookup_key: 'k' }).catch((e: unknown) => e);
    expect(refused).to.be.instanceOf(Stripe.errors.StripeInvalidRequestError);
    const second = await stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 2, lookup_key: 'k', transfer_lookup_key: true });
    expect((await stripe.prices.retrieve(first.id)).lookup_key).to.equal(null);
    expect((await stripe.prices.list({ lookup_keys: ['k'] })).data.map((p) => p.id)).to.deep.equal([second.id]);
  });

  it('when a create is retried with the same idempotency key, then one product exists and the replay says so', async () => {
    const first = await stripe.products.create({ name: 'Once' }, { idempotencyKey: 'plan:1:product' });
    const again = await stripe.products.create({ name: 'Once' }, { idempotencyKey: 'plan:1:product' });
    expect(again.id).to.equal(first.id);
    expect(again.lastResponse.headers['idempotent-replayed']).to.equal('true');
    expect((await stripe.products.list()).data).to.have.length(1);
    const clash = await stripe.products.create({ name: 'Different' }, { idempotencyKey: 'plan:1:product' }).catch((e: unknown) => e);
    expect(clash).to.be.instanceOf(Stripe.errors.StripeError);
  });

  it('when more prices exist than the page size, then the list pages newest first with has_more', async () => {
    const product = await stripe.products.create({ name: 'Many' });
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) ids.push((await stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: i })).id);
    const page = await stripe.prices.list({ product: product.id, limit: 2 });
    expect(page.has_more).to.equal(true);
    expect(page.data.map((p) => p.id)).to.deep.equal([ids[2], ids[1]]);
    const all = await stripe.prices.list({ product: product.id, limit: 2 }).autoPagingToArray({ limit: 10 });
    expect(all.map((p) => p.id)).to.deep.equal([...ids].reverse());
  });

  it('when a product or price does not exist, then 404 resource_missing; a bad interval is 400', async () => {
    const missing = await stripe.products.retrieve('prod_nope').catch((e: unknown) => e as Stripe.errors.StripeError);
    expect(missing).to.deep.include({ statusCode: 404, code: 'resource_missing' });
    const product = await stripe.products.create({ name: 'I' });
    const bad = await stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 1, recurring: { interval: 'fortnight' as 'month' } }).catch((e: unknown) => e as Stripe.errors.StripeError);
    expect(bad).to.deep.include({ statusCode: 400, param: 'recurring[interval]' });
  });
});
