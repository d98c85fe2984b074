import { expect } from 'chai';
import type { Sequelize } from 'sequelize';
import request from 'supertest';
import { withScope } from '../../src/db/tenant-scope.js';
import { createAgencyWorld, superuserSequelize, type WorldAgency } from '../support/accounts-world.js';
import { PERMISSIONS } from '../../src/modules/auth/permissions.js';
import { planBody } from '../support/plans-world.js';
import { insertToken } from '../support/route-cases.js';
import { providerFakes } from '../support/provider-fakes.js';
import { actingAsPrincipal, memberPrincipal, TestApi } from '../support/test-api.js';

const WEBHOOK_SECRET = 'whsec_billing000000000000000000001';

/** The agency's own Stripe account (connect, show, disconnect) and who may touch billing at all. */
describe("Plans: the agency's Stripe billing account and who may manage plans", () => {
  let db: Sequelize;
  let api: TestApi;
  let x: WorldAgency;
  let owner: Record<string, string>;

  before(async () => {
    db = superuserSequelize();
    api = TestApi.create();
    x = await createAgencyWorld(db);
    owner = api.signIn(memberPrincipal(x.id, x.owner));
  });
  after(async () => {
    await api.close();
    await db.close();
  });

  it('when nothing is connected, then the installation key (STRIPE_SECRET_KEY) is the account shown, by its last 4 only', async () => {
    const res = await request(api.app).get('/api/v1/agency/billing/stripe').set(owner).expect(200);
    expect(res.body).to.deep.include({ source: 'environment', secretKeyLast4: providerFakes().stripeSecretKey.slice(-4), mode: 'test', currency: 'usd', graceDays: 7 });
  });

  it('when a key Stripe refuses is connected, then 400 names the field and nothing is stored', async () => {
    const res = await request(api.app).put('/api/v1/agency/billing/stripe').set(owner).send({ secretKey: 'sk_test_nobodyknowsthiskey0000000000' }).expect(400);
    expect(res.body.error.code).to.equal('VALIDATION_FAILED');
    expect(res.body.error.details[0]).to.deep.include({ path: 'body.secretKey' });
    expect(res.body.error.details[0].message).to.match(/Stripe refused this secret key/);
    await request(api.app).put('/api/v1/agency/billing/stripe').set(owner).send({ secretKey: 'not-a-key' }).expect(400);
    expect((await request(api.app).get('/api/v1/agency/billing/stripe').set(owner).expect(200)).body.source).to.equal('environment');
  });

  it('when a working key and signing secret are connected, then they are stored encrypted, shown as last 4 and mode, and disconnect falls back to the env', async () => {
    const account = providerFakes().stripe.addAccount();
    const res = await request(api.app).put('/api/v1/agency/billing/stripe').set(owner)
      .send({ secretKey: account.secretKey, webhookSecret: WEBHOOK_SECRET, currency: 'EUR', graceDays: 10 }).expect(200);
    expect(res.body).to.deep.include({ source: 'agency', secretKeyLast4: account.secretKey.slice(-4), mode: 'test', webhookConfigured: true, currency: 'eur', graceDays: 10 });
    const [rows] = (await db.query('SELECT * FROM agency_billing_settings WHERE agency_id = :id', { replacements: { id: x.id } })) as [Record<string, string>[], unknown];
    expect(JSON.stringify(rows)).not.to.include(account.secretKey);
    expect(JSON.stringify(rows)).not.to.include(WEBHOOK_SECRET);
    // A plan takes the agency's currency and lands in its own account.
    const plan = (await request(api.app).post('/api/v1/agency/plans').set(owner).send(planBody()).expect(201)).body.plan;
    expect(plan.currency).to.equal('eur');
    expect([...account.products.keys()]).to.deep.equal([plan.stripeProductId]);

    await request(api.app).delete('/api/v1/agency/billing/stripe').set(owner).expect(204);
    const after = await request(api.app).get('/api/v1/agency/billing/stripe').set(owner).expect(200);
    expect(after.body).to.deep.include({ source: 'environment', currency: 'eur', graceDays: 10 });
    await request(api.app).delete('/api/v1/agency/billing/stripe').set(owner).expect(404);
    const [audit] = (await db.query(`SELECT action, after FROM audit_events WHERE agency_id = :id AND target_type = 'billing_account' ORDER BY seq`, {
      replacements: { id: x.id },
    })) as [{ action: string; after: unknown }[], unknown];
    expect(audit.map((a) => a.action)).to.deep.equal(['billing_account.connected', 'billing_account.disconnected']);
    expect(JSON.stringify(audit)).not.to.include(account.secretKey);
  });

  it('when a tenant is in scope, then the billing secrets row is invisible (agency scope only) while plans are readable', async () => {
    await request(api.app).put('/api/v1/agency/billing/stripe').set(owner).send({ secretKey: providerFakes().stripe.addAccount().secretKey }).expect(200);
    const seen = await withScope(api.container.sequelize, { agencyId: x.id, tenantId: x.tenants[0].id }, async (transaction) => {
      const [settings] = await api.container.sequelize.query('SELECT agency_id FROM agency_billing_settings', { transaction });
      const [plans] = await api.container.sequelize.query('SELECT id FROM plans', { transaction });
      return { settings: settings.length, plans: plans.length };
    });
    expect(seen.settings).to.equal(0);
    expect(seen.plans).to.be.greaterThan(0);
  });

  it('when a tenant user, an agency operator or a tenant-scoped token calls any plans or billing route, then 403', async () => {
    const [a] = x.tenants;
    const plan = (await request(api.app).post('/api/v1/agency/plans').set(owner).send(planBody()).expect(201)).body.plan;
    const callers = [
      api.signIn(memberPrincipal(x.id, a.users.tenant_owner)),
      api.signIn(memberPrincipal(x.id, a.users.tenant_admin)),
      api.signIn(memberPrincipal(x.id, x.operator)),
      api.signIn(actingAsPrincipal(x.id, x.operator, a.id)),
      { authorization: `Bearer ${(await insertToken(db, { agencyId: x.id, tenantId: a.id, permissions: PERMISSIONS.filter((p) => p.startsWith('tenant.')) })).token}` },
    ];
    const calls = planRouteCalls(api, plan.id, a.id);
    for (const headers of callers) {
      for (const call of calls) {
        const res = await call.send(headers);
        expect(res.status, call.label).to.equal(403);
      }
    }
  });

  it('when another agency aims at this agency\'s plan or tenant, then 404 and nothing changes', async () => {
    const [a] = x.tenants;
    const plan = (await request(api.app).post('/api/v1/agency/plans').set(owner).send(planBody({ name: 'Private' })).expect(201)).body.plan;
    const y = await createAgencyWorld(db);
    const other = api.signIn(memberPrincipal(y.id, y.owner));
    for (const call of planRouteCalls(api, plan.id, a.id).filter((c) => c.aimed)) {
      const res = await call.send(other);
      expect(res.status, call.label).to.equal(404);
    }
    const theirs = (await request(api.app).get('/api/v1/agency/plans').set(other).expect(200)).body.plans;
    expect(theirs).to.deep.equal([]);
    const mine = (await request(api.app).get(`/api/v1/agency/plans/${plan.id}`).set(owner).expect(200)).body.plan;
    expect(mine).to.deep.include({ name: 'Private', archivedAt: null });
  });
});

type Call = { label: string; aimed: boolean; send: (headers: Record<string, string>) => request.Test };

/** Every plans and billing route once (aimed: names this agency's plan or tenant). */
function planRouteCalls(api: TestApi, planId: string, tenantId: string): Call[] {
  const call = (method: 'get' | 'put' | 'post' | 'patch' | 'delete', path: string, body?: object): Call => ({
    label: `${method} ${path}`,
    aimed: path.includes(planId) || path.includes(tenantId),
    send: (headers) => {
      const req = request(api.app)[method](path).set(headers);
      return body === undefined ? req : req.send(body);
    },
  });
  return [
    call('get', '/api/v1/agency/billing/stripe'),
    call('put', '/api/v1/agency/billing/stripe', { secretKey: 'sk_test_whatever000000000000' }),
    call('delete', '/api/v1/agency/billing/stripe'),
    call('get', '/api/v1/agency/plans'),
    call('post', '/api/v1/agency/plans', planBody()),
    call('get', `/api/v1/agency/plans/${planId}`),
    call('patch', `/api/v1/agency/plans/${planId}`, { monthlyPriceMinor: 1 }),
    call('delete', `/api/v1/agency/plans/${planId}`),
    call('post', `/api/v1/agency/plans/${planId}/sync`, {}),
    call('post', `/api/v1/agency/plans/${planId}/move-subscribers`, {}),
    call('put', `/api/v1/agency/tenants/${tenantId}/subscription`, { kind: 'manual', planId }),
    call('delete', `/api/v1/agency/tenants/${tenantId}/subscription`),
  ];
}
