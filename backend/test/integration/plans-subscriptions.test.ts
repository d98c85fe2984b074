import { expect } from 'chai';
import type { Sequelize } from 'sequelize';
import request from 'supertest';
import { createAgencyWorld, superuserSequelize, type WorldAgency } from '../support/accounts-world.js';
import { planBody } from '../support/plans-world.js';
import { memberPrincipal, TestApi } from '../support/test-api.js';

const DAY_MS = 86_400_000;

/** No Stripe anywhere (no agency key, no STRIPE_SECRET_KEY): plans still work, billed outside Switchboard. */
describe('Plans without Stripe: hand-made subscriptions (assign, comp, trial, remove)', () => {
  let db: Sequelize;
  let api: TestApi;
  let x: WorldAgency;
  let owner: Record<string, string>;

  const assign = (tenantId: string, body: Record<string, unknown>) =>
    request(api.app).put(`/api/v1/agency/tenants/${tenantId}/subscription`).set(owner).send(body);
  const eventsOf = async (tenantId: string) =>
    ((await db.query(`SELECT type, data FROM event_outbox WHERE tenant_id = :tenantId AND type LIKE 'subscription.%' ORDER BY occurred_at, id`, {
      replacements: { tenantId },
    })) as [{ type: string; data: Record<string, unknown> }[], unknown])[0];
  const auditOf = async (tenantId: string) =>
    ((await db.query(`SELECT action FROM audit_events WHERE tenant_id = :tenantId AND target_type = 'subscription' ORDER BY seq`, {
      replacements: { tenantId },
    })) as [{ action: string }[], unknown])[0].map((row) => row.action);

  before(async () => {
    db = superuserSequelize();
    api = TestApi.create({ STRIPE_SECRET_KEY: '' });
    x = await createAgencyWorld(db);
    owner = api.signIn(memberPrincipal(x.id, x.owner));
  });
  after(async () => {
    await api.close();
    await db.close();
  });

  it('when the agency has no Stripe account, then a new plan is saved as not_connected and shows no Stripe ids', async () => {
    expect((await request(api.app).get('/api/v1/agency/billing/stripe').set(owner).expect(200)).body.source).to.equal('none');
    const plan = (await request(api.app).post('/api/v1/agency/plans').set(owner).send(planBody({ yearlyPriceMinor: 19000 })).expect(201)).body.plan;
    expect(plan.stripeSync).to.deep.equal({ status: 'not_connected', error: null });
    expect([plan.stripeProductId, plan.current.stripeMonthlyPriceId, plan.current.stripeYearlyPriceId]).to.deep.equal([null, null, null]);
  });

  it('when staff assign a plan by hand, then the tenant is active for one month, billed manually (audited, subscription.assigned); a change is subscription.changed', async () => {
    const [a] = x.tenants;
    const plan = (await request(api.app).post('/api/v1/agency/plans').set(owner).send(planBody({ yearlyPriceMinor: 19000 })).expect(201)).body.plan;
    const res = await assign(a.id, { kind: 'manual', planId: plan.id }).expect(200);
    const s = res.body.subscription;
    expect(s).to.deep.include({ tenantId: a.id, status: 'active', billing: 'manual', interval: 'month', trialEnd: null, cancelAtPeriodEnd: false });
    expect(s.plan).to.deep.include({ id: plan.id, version: 1 });
    const days = (Date.parse(s.currentPeriodEnd) - Date.parse(s.currentPeriodStart)) / DAY_MS;
    expect(days).to.be.within(28, 31);

    const yearly = await assign(a.id, { kind: 'manual', planId: plan.id, interval: 'year' }).expect(200);
    expect((Date.parse(yearly.body.subscription.currentPeriodEnd) - Date.parse(yearly.body.subscription.currentPeriodStart)) / DAY_MS).to.be.within(365, 366);
    expect(yearly.body.subscription.id).to.equal(s.id);
    expect((await eventsOf(a.id)).map((e) => e.type)).to.deep.equal(['subscription.assigned', 'subscription.changed']);
    expect(await auditOf(a.id)).to.deep.equal(['subscription.assigned', 'subscription.changed']);
    const counted = (await request(api.app).get(`/api/v1/agency/plans/${plan.id}`).set(owner).expect(200)).body.plan;
    expect(counted.subscriberCount).to.equal(1);
  });

  it('when a plan has no yearly price, then a yearly assignment is a 400 naming interval', async () => {
    const [, b] = x.tenants;
    const plan = (await request(api.app).post('/api/v1/agency/plans').set(owner).send(planBody()).expect(201)).body.plan;
    const res = await assign(b.id, { kind: 'manual', planId: plan.id, interval: 'year' }).expect(400);
    expect(res.body.error.details[0]).to.deep.include({ path: 'body.interval' });
    await assign(b.id, { kind: 'comped', planId: plan.id, trialDays: 3 }).expect(400);
  });

  it('when staff comp a tenant or grant a trial, then comped/active or trialing until the trial end (subscription.comped, .trial_granted)', async () => {
    const [, b] = x.tenants;
    const plan = (await request(api.app).post('/api/v1/agency/plans').set(owner).send(planBody({ trialDays: 10 })).expect(201)).body.plan;
    const comped = await assign(b.id, { kind: 'comped', planId: plan.id }).expect(200);
    expect(comped.body.subscription).to.deep.include({ status: 'active', billing: 'comped' });
    const trial = await assign(b.id, { kind: 'trial', planId: plan.id }).expect(200);
    expect(trial.body.subscription).to.deep.include({ status: 'trialing', billing: 'manual' });
    expect((Date.parse(trial.body.subscription.trialEnd) - Date.now()) / DAY_MS).to.be.within(9.9, 10.01);
    const longer = await assign(b.id, { kind: 'trial', planId: plan.id, trialDays: 30 }).expect(200);
    expect(longer.body.subscription.trialEnd).to.equal(longer.body.subscription.currentPeriodEnd);
    expect((await eventsOf(b.id)).map((e) => e.type).slice(-3)).to.deep.equal(['subscription.comped', 'subscription.trial_granted', 'subscription.trial_granted']);
  });

  it('when staff remove a subscription, then it is canceled (kept) and published; removing again is a 404', async () => {
    const [, b] = x.tenants;
    await request(api.app).delete(`/api/v1/agency/tenants/${b.id}/subscription`).set(owner).expect(204);
    const [rows] = (await db.query('SELECT status FROM subscriptions WHERE tenant_id = :id', { replacements: { id: b.id } })) as [{ status: string }[], unknown];
    expect(rows.map((r) => r.status)).to.deep.equal(['canceled']);
    expect((await eventsOf(b.id)).at(-1)!.type).to.equal('subscription.removed');
    await request(api.app).delete(`/api/v1/agency/tenants/${b.id}/subscription`).set(owner).expect(404);
    // A canceled tenant assigned again starts a new subscription (assigned, not changed).
    const plan = (await request(api.app).post('/api/v1/agency/plans').set(owner).send(planBody()).expect(201)).body.plan;
    await assign(b.id, { kind: 'manual', planId: plan.id }).expect(200);
    expect((await eventsOf(b.id)).at(-1)!.type).to.equal('subscription.assigned');
  });

  it('when a subscription is billed through Stripe, then staff cannot change or remove it by hand (409)', async () => {
    const [a] = x.tenants;
    await db.query(`UPDATE subscriptions SET billing = 'stripe', stripe_subscription_id = 'sub_test_manual_guard' WHERE tenant_id = :id`, { replacements: { id: a.id } });
    const plan = (await request(api.app).post('/api/v1/agency/plans').set(owner).send(planBody()).expect(201)).body.plan;
    expect((await assign(a.id, { kind: 'comped', planId: plan.id }).expect(409)).body.error.details).to.deep.include({ reason: 'billed_by_stripe' });
    await request(api.app).delete(`/api/v1/agency/tenants/${a.id}/subscription`).set(owner).expect(409);
  });

  it('when a tenant id is not one of the agency\'s, then 404', async () => {
    const y = await createAgencyWorld(db);
    const plan = (await request(api.app).post('/api/v1/agency/plans').set(owner).send(planBody()).expect(201)).body.plan;
    await assign(y.tenants[0].id, { kind: 'manual', planId: plan.id }).expect(404);
  });
});
