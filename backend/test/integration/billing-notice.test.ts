import { expect } from 'chai';
import { QueryTypes, type Sequelize } from 'sequelize';
import request from 'supertest';
import { superuserSequelize } from '../support/accounts-world.js';
import { AgentWorld } from '../support/agent-world.js';
import { TestApi } from '../support/test-api.js';

type Row = Record<string, unknown>;
const DAY_MS = 86_400_000;

/** The banner every page of a business shows when non-payment affects it, by the same rule as the refusals. */
describe('billing state seen by a business: the banner on every page (GET /api/v1/tenant/billing-notice) and plan-gated features', () => {
  let db: Sequelize;
  let api: TestApi;
  let w: AgentWorld;

  const rows = async (sql: string, replacements: Record<string, unknown>) => db.query<Row>(sql, { replacements, type: QueryTypes.SELECT });
  const setState = (status: string, pastDueDays: number | null) => db.query(
    `UPDATE subscriptions SET status = :status, past_due_since = CASE WHEN CAST(:days AS int) IS NULL THEN NULL ELSE now() - make_interval(days => CAST(:days AS int)) END
     WHERE tenant_id = :tenantId`, { replacements: { status, days: pastDueDays, tenantId: w.tenant.id } });
  const notice = async () => (await request(w.api.app).get('/api/v1/tenant/billing-notice').set(w.member()).expect(200)).body.notice;

  before(async () => {
    db = superuserSequelize();
    api = TestApi.create();
    w = await new AgentWorld(api, db).arrange();
  });
  after(async () => {
    await api.close();
    await db.close();
  });

  it('when the business has no subscription, then there is no notice (billing is not in use)', async () => {
    expect(await notice()).to.equal(null);
  });

  it('when the subscription is active, trialing or an unfinished first Checkout, then there is no notice', async () => {
    const [plan] = await rows(`INSERT INTO plans (agency_id, name, currency) VALUES (:agencyId, 'Growth', 'usd') RETURNING id`, w.scope);
    const [version] = await rows(
      `INSERT INTO plan_versions (plan_id, agency_id, version, monthly_price_minor, entitlements, created_by, stripe_sync_status)
       VALUES (:planId, :agencyId, 1, 9900, CAST(:entitlements AS jsonb), 'test', 'not_connected') RETURNING id`,
      { ...w.scope, planId: plan!.id, entitlements: JSON.stringify({ agents: 3, seats: 10, channels: ['sms', 'web_chat'], features: [], allowances: { sms_segments: 0, voice_minutes: 0, whatsapp_messages: 0, ai_tokens: 0, ai_replies: 0 } }) },
    );
    await db.query(
      `INSERT INTO subscriptions (agency_id, tenant_id, plan_version_id, status, billing, interval, current_period_start, current_period_end)
       VALUES (:agencyId, :tenantId, :versionId, 'active', 'stripe', 'month', now() - interval '5 days', now() + interval '25 days')`,
      { replacements: { ...w.scope, versionId: version!.id } },
    );
    for (const status of ['active', 'trialing', 'incomplete']) {
      await setState(status, null);
      expect(await notice(), status).to.equal(null);
    }
  });

  it('when a payment failed 2 days ago (grace 7 days), then every member sees "past due" with the day service continues until', async () => {
    await setState('past_due', 2);
    const shown = await notice();
    expect(shown.state).to.equal('past_due');
    const expectedUntil = Date.now() - 2 * DAY_MS + 7 * DAY_MS;
    expect(Math.abs(new Date(shown.graceUntil).getTime() - expectedUntil)).to.be.lessThan(60_000);
    expect(shown.message).to.contain(`Service continues until ${new Date(expectedUntil).toISOString().slice(0, 10)}`);
  });

  it('when the grace has run out, or the subscription is unpaid, canceled or paused, then the notice says service is restricted and why', async () => {
    const cases: [string, number | null, RegExp][] = [
      ['past_due', 10, /payment is overdue/],
      ['unpaid', null, /not paid/],
      ['canceled', null, /canceled/],
      ['paused', null, /paused/],
    ];
    for (const [status, days, why] of cases) {
      await setState(status, days);
      const shown = await notice();
      expect(shown, status).to.include({ state: 'restricted' });
      expect(shown.message, status).to.match(why).and.to.contain('Incoming messages are still saved');
    }
  });

  it('when the plan lacks the audit export, then the business\'s export is refused with 402 FEATURE_NOT_IN_PLAN, and allowed once the plan has it', async () => {
    await setState('active', null);
    const refused = await request(w.api.app).get('/api/v1/tenant/audit/export?format=json').set(w.admin()).expect(402);
    expect(refused.body.error.details).to.include({ code: 'FEATURE_NOT_IN_PLAN', feature: 'audit.export', upgradeUrl: '/billing' });
    await db.query(`UPDATE plan_versions SET entitlements = jsonb_set(entitlements, '{features}', '["audit.export"]') WHERE agency_id = :agencyId`, { replacements: w.scope });
    const allowed = await request(w.api.app).get('/api/v1/tenant/audit/export?format=json').set(w.admin()).expect(200);
    expect(allowed.body.events).to.be.an('array');
  });
});
