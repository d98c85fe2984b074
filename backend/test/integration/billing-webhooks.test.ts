import { expect } from 'chai';
import type { Sequelize } from 'sequelize';
import Stripe from 'stripe';
import request from 'supertest';
import { clickButton, stripeEvent, type FakeStripe, type StripeEvent } from '../../../tests/fakes/stripe/index.js';
import { createAgencyWorld, superuserSequelize, type WorldAgency } from '../support/accounts-world.js';
import { planBody } from '../support/plans-world.js';
import { providerFakes } from '../support/provider-fakes.js';
import { listen, newSigningSecret, saveAgencyStripe, subscriptionRowOf } from '../support/subscriptions-world.js';
import { memberPrincipal, TestApi } from '../support/test-api.js';

const JAN_1_2030 = Date.UTC(2030, 0, 1) / 1000;

/** Every ordering of a list (24 for four events). */
function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

/**
 * POST /webhooks/stripe-billing/:agencyId: signed with the agency's secret or refused with nothing stored;
 * stored once per event id; and applied by re-reading Stripe, so replays and any arrival order end in
 * Stripe's state. Deliveries come from the fake Stripe (hold/release, redeliver), signed as Stripe signs.
 */
describe('Stripe Billing webhooks: verified, stored once, converging on Stripe\'s state in any order', function () {
  this.timeout(120_000);
  let db: Sequelize;
  let api: TestApi;
  let app: { url: string; close(): Promise<void> };
  let fake: FakeStripe;
  let x: WorldAgency;
  let y: WorldAgency;
  let key: string;
  let webhookSecret: string;
  let stripe: Stripe;
  let tenantOwner: Record<string, string>;
  let planId: string;
  let versionId: string;

  before(async () => {
    db = superuserSequelize();
    api = TestApi.create();
    app = await listen(api.app);
    fake = providerFakes().stripe;
    y = await createAgencyWorld(db);
  });
  beforeEach(async () => {
    x = await createAgencyWorld(db);
    key = fake.addAccount().secretKey;
    fake.setClock(JAN_1_2030, key);
    webhookSecret = newSigningSecret();
    await saveAgencyStripe(db, x.id, { secretKey: key, webhookSecret });
    fake.addWebhookEndpoint(key, endpoint(x.id), webhookSecret);
    stripe = new Stripe(key, { host: '127.0.0.1', port: fake.port, protocol: 'http', maxNetworkRetries: 0 });
    tenantOwner = api.signIn(memberPrincipal(x.id, x.tenants[0].users.tenant_owner));
    const plan = (await request(api.app).post('/api/v1/agency/plans').set(api.signIn(memberPrincipal(x.id, x.owner))).send(planBody()).expect(201)).body.plan;
    [planId, versionId] = [plan.id, plan.current.id];
  });
  after(async () => {
    await app.close();
    await api.close();
    await db.close();
  });

  const endpoint = (agencyId: string) => `${app.url}/webhooks/stripe-billing/${agencyId}`;
  const tenantId = () => x.tenants[0].id;
  const storedEvents = async (agencyId = x.id) => ((await db.query(
    'SELECT stripe_event_id AS id, type, applied_at AS "appliedAt" FROM billing_events WHERE agency_id = :agencyId ORDER BY id', { replacements: { agencyId } },
  )) as [{ id: string; type: string; appliedAt: Date | null }[], unknown])[0];
  const statusChanges = async () => ((await db.query(
    `SELECT count(*)::int AS n FROM audit_events WHERE tenant_id = :tenantId AND action = 'subscription.status_changed'`, { replacements: { tenantId: tenantId() } },
  )) as [{ n: number }[], unknown])[0][0]!.n;
  async function checkout(): Promise<string> {
    const { url } = (await request(api.app).post('/api/v1/billing/checkout').set(tenantOwner).send({ planId }).expect(200)).body;
    expect((await clickButton(url, 'Pay')).status).to.equal(303);
    const session = [...fake.accountOf(key).checkoutSessions.values()].at(-1)!;
    return session.subscription!;
  }
  /** What Stripe says now, in our row's terms. */
  async function stripeState(subscriptionId: string) {
    const s = await stripe.subscriptions.retrieve(subscriptionId);
    const item = s.items.data[0]!;
    return {
      status: s.status, cancelAtPeriodEnd: s.cancel_at_period_end, stripeSubscriptionId: s.id, stripeCustomerId: s.customer,
      currentPeriodStart: new Date(item.current_period_start * 1000), currentPeriodEnd: new Date(item.current_period_end * 1000),
    };
  }
  const post = (agencyId: string, payload: string, signature: string) =>
    fetch(endpoint(agencyId), { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': signature }, body: payload });

  it('when created → updated → invoice.paid → updated arrive in each of the 24 orders, each 3 times, then the row always ends as Stripe has it', async () => {
    fake.holdDeliveries();
    const subscriptionId = await checkout();
    await stripe.subscriptions.update(subscriptionId, { cancel_at_period_end: true });
    const held = fake.webhooks.heldEvents;
    // The realistic sequence: created (incomplete), updated (active), invoice.paid, updated (cancel at period end).
    const pick = (type: string, nth = 0) => held.filter((e) => e.type === type)[nth]!;
    const sequence = [pick('customer.subscription.created'), pick('customer.subscription.updated', 0), pick('invoice.paid'), pick('customer.subscription.updated', 1)];
    expect(sequence.every(Boolean)).to.equal(true);
    expect((sequence[0]!.data.object as { status: string }).status).to.equal('incomplete');
    expect((sequence[3]!.data.object as { cancel_at_period_end: boolean }).cancel_at_period_end).to.equal(true);
    await fake.releaseDeliveries((events) => [...events].reverse());
    const expected = await stripeState(subscriptionId);
    expect(expected).to.deep.include({ status: 'active', cancelAtPeriodEnd: true });
    expect(await subscriptionRowOf(db, tenantId())).to.deep.include(expected);

    for (const order of permutations(sequence)) {
      // Forget what we knew: the row and the stored events, so each order starts from nothing.
      await db.query('DELETE FROM subscriptions WHERE tenant_id = :tenantId', { replacements: { tenantId: tenantId() } });
      await db.query('DELETE FROM billing_events WHERE agency_id = :agencyId', { replacements: { agencyId: x.id } });
      for (const event of order) for (let i = 0; i < 3; i += 1) fake.redeliver(event.id);
      await fake.settled();
      const label = order.map((e) => e.type.replace('customer.subscription.', '')).join(' → ');
      expect(await subscriptionRowOf(db, tenantId()), label).to.deep.include({ ...expected, billing: 'stripe', planVersionId: versionId });
      const stored = await storedEvents();
      expect(stored.map((e) => e.id).sort(), label).to.deep.equal(order.map((e) => e.id).sort());
      expect(stored.every((e) => e.appliedAt !== null), label).to.equal(true);
    }
    // 24 orders each created the row once (from nothing), and the replays added no status change.
    expect(await statusChanges()).to.equal(1 + 24);
  });

  it('when an event is replayed 3 times, then it is stored once and changes the row once (one audit entry, one published event)', async () => {
    const subscriptionId = await checkout();
    await fake.settled();
    const events = fake.events(key);
    const before = { audit: await statusChanges(), stored: (await storedEvents()).length };
    for (const event of events) for (let i = 0; i < 3; i += 1) fake.redeliver(event.id);
    await fake.settled();
    expect((await storedEvents()).length).to.equal(before.stored);
    expect(await statusChanges()).to.equal(before.audit);
    expect(await subscriptionRowOf(db, tenantId())).to.deep.include(await stripeState(subscriptionId));
    const [published] = (await db.query(`SELECT count(*)::int AS n FROM event_outbox WHERE tenant_id = :tenantId AND type LIKE 'subscription.%'`,
      { replacements: { tenantId: tenantId() } })) as [{ n: number }[], unknown];
    expect(published[0]!.n).to.equal(1);
  });

  it('when the events arrive all at once (each 3 times, concurrently), then one row as Stripe has it, created once', async () => {
    fake.holdDeliveries();
    const subscriptionId = await checkout();
    const events = fake.webhooks.heldEvents.filter((e) => e.type.startsWith('customer.subscription.') || e.type === 'invoice.paid');
    await fake.releaseDeliveries(() => []); // nothing delivered by the fake: the test posts them itself, concurrently
    const sign = (event: StripeEvent) => {
      const payload = JSON.stringify(event);
      return () => post(x.id, payload, Stripe.webhooks.generateTestHeaderString({ payload, secret: webhookSecret }));
    };
    const answers = await Promise.all(events.flatMap((event) => [sign(event), sign(event), sign(event)]).map((send) => send()));
    expect(answers.map((a) => a.status)).to.deep.equal(answers.map(() => 200));
    expect(await subscriptionRowOf(db, tenantId())).to.deep.include(await stripeState(subscriptionId));
    expect(await statusChanges()).to.equal(1);
    expect((await storedEvents()).length).to.equal(events.length);
  });

  it('when the signature is forged, signed with another secret or stale, then 403 and nothing is stored or applied; the failure is noted', async () => {
    const subscriptionId = await checkout(); // delivered normally: the baseline
    await fake.settled();
    const row = await subscriptionRowOf(db, tenantId());
    const storedBefore = (await storedEvents()).length;
    const event = stripeEvent('customer.subscription.updated', { id: subscriptionId, object: 'subscription', status: 'canceled' });
    const payload = JSON.stringify(event);
    const [failuresBefore] = (await db.query(`SELECT count(*)::int AS n FROM webhook_failures WHERE provider = 'stripe'`)) as [{ n: number }[], unknown];

    const attempts = [
      ['forged', `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}`],
      ['another secret', Stripe.webhooks.generateTestHeaderString({ payload, secret: newSigningSecret() })],
      ['stale (10 minutes old)', Stripe.webhooks.generateTestHeaderString({ payload, secret: webhookSecret, timestamp: Math.floor(Date.now() / 1000) - 600 })],
      ['tampered body', Stripe.webhooks.generateTestHeaderString({ payload: payload.replace('canceled', 'active'), secret: webhookSecret })],
    ] as const;
    for (const [label, signature] of attempts) expect((await post(x.id, payload, signature)).status, label).to.equal(403);
    expect((await post(x.id, payload, '')).status).to.equal(403);
    // Signed correctly, but for an agency that is not this one (or none): 403 too.
    const good = Stripe.webhooks.generateTestHeaderString({ payload, secret: webhookSecret });
    expect((await post(y.id, payload, good)).status).to.equal(403);
    expect((await post('00000000-0000-4000-8000-000000000000', payload, good)).status).to.equal(403);

    expect((await storedEvents()).length).to.equal(storedBefore);
    expect(await storedEvents(y.id)).to.deep.equal([]);
    expect(await subscriptionRowOf(db, tenantId())).to.deep.equal(row);
    const [failuresAfter] = (await db.query(`SELECT count(*)::int AS n FROM webhook_failures WHERE provider = 'stripe'`)) as [{ n: number }[], unknown];
    expect(failuresAfter[0]!.n - failuresBefore[0]!.n).to.be.at.least(4);
  });

  it('when a correctly signed event carries a state Stripe does not have, then the row still follows Stripe (the payload is never trusted)', async () => {
    const subscriptionId = await checkout();
    await fake.settled();
    const lie: StripeEvent = stripeEvent('customer.subscription.deleted', { id: subscriptionId, object: 'subscription', status: 'canceled' });
    const payload = JSON.stringify(lie);
    expect((await post(x.id, payload, Stripe.webhooks.generateTestHeaderString({ payload, secret: webhookSecret }))).status).to.equal(200);
    expect((await subscriptionRowOf(db, tenantId()))!.status).to.equal('active');
  });

  it('when a subscription in this agency\'s Stripe names a tenant of another agency, then that tenant is never touched', async () => {
    const victim = y.tenants[0].id;
    const price = (await stripe.prices.list({ limit: 1 })).data[0]!;
    const customer = await stripe.customers.create({ payment_method: 'pm_card_visa', invoice_settings: { default_payment_method: 'pm_card_visa' } });
    await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }], metadata: { tenantId: victim } });
    await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }], metadata: { tenantId: victim, agencyId: y.id } });
    await fake.settled();
    expect(await subscriptionRowOf(db, victim)).to.equal(undefined);
    const stored = await storedEvents();
    expect(stored.length).to.be.greaterThan(0);
    expect(stored.every((e) => e.appliedAt !== null)).to.equal(true);
  });
});
