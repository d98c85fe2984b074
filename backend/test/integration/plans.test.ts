import { expect } from 'chai';
import type { Sequelize } from 'sequelize';
import request from 'supertest';
import { createAgencyWorld, superuserSequelize, type WorldAgency } from '../support/accounts-world.js';
import { planBody, stripeCatalogueOf } from '../support/plans-world.js';
import { providerFakes } from '../support/provider-fakes.js';
import { memberPrincipal, TestApi } from '../support/test-api.js';

/** The agency's catalogue: plans saved and versioned by us, mirrored to the agency's own Stripe account (the fake, through the SDK). */
describe('Plans: the agency catalogue, versioned and mirrored to Stripe', () => {
  let db: Sequelize;
  let api: TestApi;
  let x: WorldAgency;
  let owner: Record<string, string>;
  let account: ReturnType<ReturnType<typeof providerFakes>['stripe']['addAccount']>;

  const createPlan = async (overrides: Record<string, unknown> = {}) =>
    (await request(api.app).post('/api/v1/agency/plans').set(owner).send(planBody(overrides)).expect(201)).body.plan;
  const assign = (tenantId: string, body: Record<string, unknown>) =>
    request(api.app).put(`/api/v1/agency/tenants/${tenantId}/subscription`).set(owner).send(body);
  const subscriptionEvents = async (tenantId: string) =>
    ((await db.query(`SELECT type, data FROM event_outbox WHERE tenant_id = :tenantId AND type LIKE 'subscription.%' ORDER BY occurred_at, id`, {
      replacements: { tenantId },
    })) as [{ type: string; data: Record<string, unknown> }[], unknown])[0];
  const auditActions = async (targetId: string) =>
    ((await db.query(`SELECT action FROM audit_events WHERE target_id = :targetId ORDER BY created_at, seq`, { replacements: { targetId } })) as [
      { action: string }[], unknown,
    ])[0].map((row) => row.action);

  before(async () => {
    db = superuserSequelize();
    api = TestApi.create();
    x = await createAgencyWorld(db);
    owner = api.signIn(memberPrincipal(x.id, x.owner));
    account = providerFakes().stripe.addAccount();
    await request(api.app).put('/api/v1/agency/billing/stripe').set(owner)
      .send({ secretKey: account.secretKey, webhookSecret: 'whsec_plans0000000000000000000001' }).expect(200);
  });
  after(async () => {
    providerFakes().stripe.faults.reset();
    await api.close();
    await db.close();
  });

  it('when a plan is created, then Stripe holds one product and a monthly and a yearly recurring price; a retried sync makes nothing new', async () => {
    const plan = await createPlan({ monthlyPriceMinor: 4900, yearlyPriceMinor: 49000 });
    expect(plan.current).to.deep.include({ version: 1, monthlyPriceMinor: 4900, yearlyPriceMinor: 49000, subscriberCount: 0 });
    expect(plan.stripeSync).to.deep.equal({ status: 'synced', error: null });
    const stripe = stripeCatalogueOf(account, plan.id);
    expect(stripe.products.map((p) => p.id)).to.deep.equal([plan.stripeProductId]);
    expect(stripe.prices.map((p) => [p.unit_amount, p.currency, p.recurring?.interval, p.active]).sort()).to.deep.equal([
      [4900, 'usd', 'month', true], [49000, 'usd', 'year', true],
    ]);
    // As if our answer from Stripe had been lost: the stored ids are gone, the retry's idempotency keys find Stripe's objects.
    await db.query(`UPDATE plans SET stripe_product_id = NULL WHERE id = :id`, { replacements: { id: plan.id } });
    await db.query(`UPDATE plan_versions SET stripe_monthly_price_id = NULL, stripe_yearly_price_id = NULL, stripe_sync_status = 'failed' WHERE plan_id = :id`, {
      replacements: { id: plan.id },
    });
    const retried = (await request(api.app).post(`/api/v1/agency/plans/${plan.id}/sync`).set(owner).send({}).expect(200)).body.plan;
    expect(retried.stripeProductId).to.equal(plan.stripeProductId);
    expect([retried.current.stripeMonthlyPriceId, retried.current.stripeYearlyPriceId]).to.deep.equal([plan.current.stripeMonthlyPriceId, plan.current.stripeYearlyPriceId]);
    const after = stripeCatalogueOf(account, plan.id);
    expect([after.products.length, after.prices.length]).to.deep.equal([1, 2]);
    expect(await auditActions(plan.id)).to.deep.equal(['plan.created']);
  });

  it('when a plan nobody subscribes to gets a new price, then version 1 changes in place: a new Stripe price, the old one archived', async () => {
    const plan = await createPlan({ monthlyPriceMinor: 2900 });
    const res = await request(api.app).patch(`/api/v1/agency/plans/${plan.id}`).set(owner).send({ monthlyPriceMinor: 3900, trialDays: 7 }).expect(200);
    expect(res.body.outcome).to.equal('edited_in_place');
    expect(res.body.plan.versions).to.have.length(1);
    expect(res.body.plan.current).to.deep.include({ version: 1, monthlyPriceMinor: 3900, trialDays: 7, stripeSync: { status: 'synced', error: null } });
    const prices = stripeCatalogueOf(account, plan.id).prices;
    expect(prices.map((p) => [p.unit_amount, p.active]).sort()).to.deep.equal([[2900, false], [3900, true]]);
    expect(res.body.plan.current.stripeMonthlyPriceId).to.equal(prices.find((p) => p.active)!.id);
  });

  it('when a plan is renamed, then its Stripe product is renamed and no version is made', async () => {
    const plan = await createPlan();
    const res = await request(api.app).patch(`/api/v1/agency/plans/${plan.id}`).set(owner).send({ name: 'Growth', description: 'For busy shops' }).expect(200);
    expect(res.body.plan).to.deep.include({ name: 'Growth', description: 'For busy shops' });
    expect(res.body.plan.versions).to.have.length(1);
    expect(stripeCatalogueOf(account, plan.id).products[0]).to.deep.include({ name: 'Growth', description: 'For busy shops' });
  });

  it('when a plan with a subscriber changes its terms, then version 2 is made, the subscriber stays on version 1 until moved (audited, subscription.changed)', async () => {
    const [a] = x.tenants;
    const plan = await createPlan({ monthlyPriceMinor: 9900 });
    await assign(a.id, { kind: 'manual', planId: plan.id }).expect(200);
    const entitlements = { ...plan.current.entitlements, agents: 5, channels: ['sms', 'web_chat', 'telegram'] };
    const res = await request(api.app).patch(`/api/v1/agency/plans/${plan.id}`).set(owner).send({ monthlyPriceMinor: 12900, entitlements }).expect(200);
    expect(res.body.outcome).to.equal('new_version');
    const [v2, v1] = res.body.plan.versions;
    expect(v2).to.deep.include({ version: 2, monthlyPriceMinor: 12900, subscriberCount: 0 });
    expect(v2.entitlements).to.deep.equal(entitlements);
    expect(v1).to.deep.include({ version: 1, monthlyPriceMinor: 9900, subscriberCount: 1 });
    expect(res.body.plan.current.id).to.equal(v2.id);
    // Both versions stay buyable in Stripe: version 1's price is not archived.
    expect(stripeCatalogueOf(account, plan.id).prices.map((p) => [p.unit_amount, p.active]).sort()).to.deep.equal([[12900, true], [9900, true]]);

    const list = (await request(api.app).get('/api/v1/agency/plans').set(owner).expect(200)).body.plans;
    const listed = list.find((p: { id: string }) => p.id === plan.id);
    expect(listed.subscriberCount).to.equal(1);
    expect(listed.versions.map((v: { version: number; subscriberCount: number }) => [v.version, v.subscriberCount])).to.deep.equal([[2, 0], [1, 1]]);

    const moved = await request(api.app).post(`/api/v1/agency/plans/${plan.id}/move-subscribers`).set(owner).send({}).expect(200);
    expect(moved.body).to.deep.equal({ moved: 1, skipped: 0, toVersion: 2 });
    const after = (await request(api.app).get(`/api/v1/agency/plans/${plan.id}`).set(owner).expect(200)).body.plan;
    expect(after.versions.map((v: { version: number; subscriberCount: number }) => [v.version, v.subscriberCount])).to.deep.equal([[2, 1], [1, 0]]);
    expect(await auditActions(plan.id)).to.deep.equal(['plan.created', 'plan.version_created', 'plan.subscribers_moved']);
    const events = await subscriptionEvents(a.id);
    expect(events.map((e) => e.type).slice(-2)).to.deep.equal(['subscription.assigned', 'subscription.changed']);
    expect(events.at(-1)!.data).to.deep.include({ planId: plan.id, planVersion: 2, reason: 'moved_to_new_version', previousPlanVersionId: v1.id });
    const again = await request(api.app).post(`/api/v1/agency/plans/${plan.id}/move-subscribers`).set(owner).send({}).expect(200);
    expect(again.body.moved).to.equal(0);
  });

  it('when a plan is archived, then its Stripe prices and product are archived and it cannot be newly assigned', async () => {
    const [, b] = x.tenants;
    const plan = await createPlan({ yearlyPriceMinor: 30000 });
    const res = await request(api.app).delete(`/api/v1/agency/plans/${plan.id}`).set(owner).expect(200);
    expect(res.body.plan.archivedAt).to.be.a('string');
    expect(res.body.plan.stripeSync.status).to.equal('synced');
    const stripe = stripeCatalogueOf(account, plan.id);
    expect(stripe.prices.map((p) => p.active)).to.deep.equal([false, false]);
    expect(stripe.products.map((p) => p.active)).to.deep.equal([false]);
    const refused = await assign(b.id, { kind: 'manual', planId: plan.id }).expect(409);
    expect(refused.body.error.details).to.deep.include({ reason: 'plan_archived' });
    await request(api.app).patch(`/api/v1/agency/plans/${plan.id}`).set(owner).send({ monthlyPriceMinor: 1 }).expect(409);
  });

  it('when Stripe is down, then the plan is saved with sync status failed and the error, and Retry sync repairs it', async () => {
    const fake = providerFakes().stripe;
    fake.faults.failNext(20, { status: 500, message: 'Stripe is having a bad day' });
    let plan;
    try {
      plan = await createPlan({ name: 'Outage plan' });
    } finally {
      fake.faults.reset();
    }
    expect(plan.stripeSync.status).to.equal('failed');
    expect(plan.stripeSync.error).to.match(/^Stripe could not be reached or failed/);
    expect(plan.stripeProductId).to.equal(null);
    expect(stripeCatalogueOf(account, plan.id).products).to.have.length(0);
    const repaired = (await request(api.app).post(`/api/v1/agency/plans/${plan.id}/sync`).set(owner).send({}).expect(200)).body.plan;
    expect(repaired.stripeSync).to.deep.equal({ status: 'synced', error: null });
    expect(stripeCatalogueOf(account, plan.id).prices).to.have.length(1);
  });

  it('when prices are not whole minor units or out of bounds, then 400 naming the field and nothing is saved', async () => {
    const before = (await request(api.app).get('/api/v1/agency/plans').set(owner).expect(200)).body.plans.length;
    for (const monthlyPriceMinor of [19.99, -1, 100_000_000, '1900']) {
      const res = await request(api.app).post('/api/v1/agency/plans').set(owner).send(planBody({ monthlyPriceMinor })).expect(400);
      expect(JSON.stringify(res.body.error.details)).to.include('monthlyPriceMinor');
    }
    const badFeature = planBody();
    (badFeature.entitlements as { features: string[] }).features = ['no.such.flag'];
    await request(api.app).post('/api/v1/agency/plans').set(owner).send(badFeature).expect(400);
    expect((await request(api.app).get('/api/v1/agency/plans').set(owner).expect(200)).body.plans.length).to.equal(before);
  });
});
