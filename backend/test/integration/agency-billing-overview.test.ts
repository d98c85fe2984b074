import { expect } from 'chai';
import { QueryTypes, type Sequelize } from 'sequelize';
import request from 'supertest';
import type { SubscriptionStatus } from '../../src/modules/plans/subscription-repository.js';
import { createAgencyWorld, superuserSequelize, type WorldAgency } from '../support/accounts-world.js';
import { starterEntitlements } from '../support/plans-world.js';
import { memberPrincipal, TestApi } from '../support/test-api.js';

const DAY_MS = 86_400_000;

type Column = { plan: { name: string; version: number } | null; status: string; billing: string | null; interval: string | null; mrrMinor: number; currency: string | null; pastDue: boolean; graceUntil: string | null };
type Row = { tenantId: string; billing: Column | null };

/** Test-data mother: a plan (version `version`) at these prices, in this currency. */
async function insertPlan(db: Sequelize, agencyId: string, input: { name: string; monthly: number; yearly?: number; currency?: string; version?: number }): Promise<string> {
  const [plan] = await db.query<{ id: string }>(`INSERT INTO plans (agency_id, name, currency) VALUES (:agencyId, :name, :currency) RETURNING id`,
    { replacements: { agencyId, name: input.name, currency: input.currency ?? 'eur' }, type: QueryTypes.SELECT });
  const [version] = await db.query<{ id: string }>(
    `INSERT INTO plan_versions (plan_id, agency_id, version, monthly_price_minor, yearly_price_minor, entitlements, created_by, stripe_sync_status)
     VALUES (:planId, :agencyId, :version, :monthly, :yearly, CAST(:entitlements AS jsonb), 'test', 'not_connected') RETURNING id`,
    { replacements: { planId: plan!.id, agencyId, version: input.version ?? 1, monthly: input.monthly, yearly: input.yearly ?? null, entitlements: JSON.stringify(starterEntitlements()) }, type: QueryTypes.SELECT },
  );
  await db.query('UPDATE plans SET current_version_id = :versionId WHERE id = :planId', { replacements: { planId: plan!.id, versionId: version!.id } });
  return version!.id;
}

async function subscribe(db: Sequelize, input: { agencyId: string; tenantId: string; versionId: string; status: SubscriptionStatus; billing?: string; interval?: string; pastDueDays?: number }): Promise<void> {
  await db.query(
    `INSERT INTO subscriptions (agency_id, tenant_id, plan_version_id, status, billing, interval, current_period_start, current_period_end, past_due_since)
     VALUES (:agencyId, :tenantId, :versionId, :status, :billing, :interval, now(), now() + interval '1 month', :pastDueSince)
     ON CONFLICT (tenant_id) DO UPDATE SET plan_version_id = EXCLUDED.plan_version_id, status = EXCLUDED.status, billing = EXCLUDED.billing,
       interval = EXCLUDED.interval, past_due_since = EXCLUDED.past_due_since`,
    { replacements: { billing: 'manual', interval: 'month', ...input, pastDueSince: input.pastDueDays === undefined ? null : new Date(Date.now() - input.pastDueDays * DAY_MS) } },
  );
}

/** The agency's settings row: its currency and dunning grace. */
async function agencySettings(db: Sequelize, agencyId: string, terms: { currency: string; graceDays: number }): Promise<void> {
  await db.query(`INSERT INTO agency_billing_settings (agency_id, currency, grace_days) VALUES (:agencyId, :currency, :graceDays)
    ON CONFLICT (agency_id) DO UPDATE SET currency = EXCLUDED.currency, grace_days = EXCLUDED.grace_days`, { replacements: { agencyId, ...terms } });
}

async function addTenant(db: Sequelize, agencyId: string, name: string): Promise<string> {
  const [row] = await db.query<{ id: string }>(`INSERT INTO tenants (agency_id, name, slug) VALUES (:agencyId, :name, :slug) RETURNING id`,
    { replacements: { agencyId, name, slug: `${name.toLowerCase().replace(/\W+/g, '-')}-${Math.random().toString(36).slice(2, 8)}` }, type: QueryTypes.SELECT });
  return row!.id;
}

describe('agency overview: the plan/billing column (plan, status, MRR, past-due flag) and the total MRR', () => {
  let db: Sequelize;
  let api: TestApi;
  let x: WorldAgency;
  let owner: Record<string, string>;
  const overview = async (headers: Record<string, string>, query = '') =>
    (await request(api.app).get(`/api/v1/agency/tenants/health${query}`).set(headers).expect(200)).body as { tenants: Row[]; mrr: { currency: string; mrrMinor: number; otherCurrencies: { currency: string; mrrMinor: number }[] } | null };

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

  it('when no tenant has a plan, then every column says none with 0 MRR and the total is 0 in the agency currency (usd by default)', async () => {
    const body = await overview(owner);
    expect(body.tenants.map((t) => t.billing)).to.deep.equal(body.tenants.map(() => ({
      plan: null, status: 'none', billing: null, interval: null, mrrMinor: 0, currency: null, pastDue: false, graceUntil: null,
    })));
    expect(body.mrr).to.deep.equal({ currency: 'usd', mrrMinor: 0, otherCurrencies: [] });
  });

  it('when tenants are monthly, yearly, comped, trialing, past due (in and after grace), unpaid and canceled, then each column and the total MRR say so exactly', async () => {
    await agencySettings(db, x.id, { currency: 'eur', graceDays: 5 });
    const agency = { agencyId: x.id };
    const growth = await insertPlan(db, x.id, { name: 'Growth', monthly: 4900, yearly: 49_999, version: 2 });
    const starter = await insertPlan(db, x.id, { name: 'Starter', monthly: 1999 });
    const names = ['Monthly Co', 'Yearly Co', 'Comped Co', 'Trial Co', 'Late Co', 'Very Late Co', 'Unpaid Co', 'Gone Co'];
    const ids = Object.fromEntries(await Promise.all(names.map(async (name) => [name, await addTenant(db, x.id, name)] as const)));
    await subscribe(db, { ...agency, tenantId: ids['Monthly Co']!, versionId: growth, status: 'active', billing: 'stripe' });
    await subscribe(db, { ...agency, tenantId: ids['Yearly Co']!, versionId: growth, status: 'active', interval: 'year' });
    await subscribe(db, { ...agency, tenantId: ids['Comped Co']!, versionId: growth, status: 'active', billing: 'comped' });
    await subscribe(db, { ...agency, tenantId: ids['Trial Co']!, versionId: starter, status: 'trialing' });
    await subscribe(db, { ...agency, tenantId: ids['Late Co']!, versionId: starter, status: 'past_due', billing: 'stripe', pastDueDays: 2 });
    await subscribe(db, { ...agency, tenantId: ids['Very Late Co']!, versionId: starter, status: 'past_due', billing: 'stripe', pastDueDays: 6 });
    await subscribe(db, { ...agency, tenantId: ids['Unpaid Co']!, versionId: starter, status: 'unpaid', billing: 'stripe' });
    await subscribe(db, { ...agency, tenantId: ids['Gone Co']!, versionId: starter, status: 'canceled', billing: 'stripe' });

    const body = await overview(owner, '?limit=3');
    const all = (await overview(owner, '?limit=200')).tenants;
    const col = (name: string) => all.find((t) => t.tenantId === ids[name])!.billing!;

    expect(col('Monthly Co')).to.deep.include({ status: 'active', billing: 'stripe', interval: 'month', mrrMinor: 4900, currency: 'eur', pastDue: false });
    expect(col('Monthly Co').plan).to.deep.include({ name: 'Growth', version: 2 });
    // 49,999 / 12 = 4,166.58… -> 4,167 (half up to the cent)
    expect(col('Yearly Co')).to.deep.include({ status: 'active', interval: 'year', mrrMinor: 4167 });
    expect(col('Comped Co')).to.deep.include({ status: 'active', billing: 'comped', mrrMinor: 0 });
    expect(col('Trial Co')).to.deep.include({ status: 'trialing', mrrMinor: 0, pastDue: false });
    expect(col('Late Co')).to.deep.include({ status: 'past_due', mrrMinor: 1999, pastDue: true });
    expect(Date.parse(col('Late Co').graceUntil!)).to.be.closeTo(Date.now() + 3 * DAY_MS, 60_000);
    expect(col('Very Late Co')).to.deep.include({ status: 'restricted', mrrMinor: 1999, pastDue: true, graceUntil: null });
    expect(col('Unpaid Co')).to.deep.include({ status: 'restricted', mrrMinor: 0, pastDue: true });
    expect(col('Gone Co')).to.deep.include({ status: 'canceled', mrrMinor: 0, pastDue: false });
    expect(col('Gone Co').plan).to.deep.include({ name: 'Starter' });
    // The total covers every tenant, not only the page of 3.
    expect(body.tenants).to.have.length(3);
    expect(body.mrr).to.deep.equal({ currency: 'eur', mrrMinor: 4900 + 4167 + 1999 + 1999, otherCurrencies: [] });
  });

  it('when a plan is priced in another currency than the agency, then its MRR is summed apart, never converted', async () => {
    const gbp = await insertPlan(db, x.id, { name: 'UK plan', monthly: 2500, currency: 'gbp' });
    const tenantId = await addTenant(db, x.id, 'London Co');
    await subscribe(db, { agencyId: x.id, tenantId, versionId: gbp, status: 'active' });
    const { mrr } = await overview(owner, '?limit=200');
    expect(mrr!.currency).to.equal('eur');
    expect(mrr!.otherCurrencies).to.deep.equal([{ currency: 'gbp', mrrMinor: 2500 }]);
  });

  it("when an agency operator (no billing permission) opens the overview, then the billing column and total are null; another agency's plans never show", async () => {
    const operator = await overview(api.signIn(memberPrincipal(x.id, x.operator)), '?limit=200');
    expect(operator.mrr).to.equal(null);
    expect(operator.tenants.every((t) => t.billing === null)).to.equal(true);
    const y = await createAgencyWorld(db);
    const theirs = await overview(api.signIn(memberPrincipal(y.id, y.owner)), '?limit=200');
    expect(theirs.mrr).to.deep.equal({ currency: 'usd', mrrMinor: 0, otherCurrencies: [] });
    expect(theirs.tenants.map((t) => t.billing!.status)).to.deep.equal(['none', 'none']);
  });
});
