import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { QueryTypes, type Sequelize } from 'sequelize';
import request from 'supertest';
import type { Entitlements } from '../../src/modules/plans/entitlements.js';
import type { SubscriptionStatus } from '../../src/modules/plans/subscription-repository.js';
import { createAgencyWorld, createMember, superuserSequelize, type WorldAgency } from '../support/accounts-world.js';
import { insertContact } from '../support/messaging-world.js';
import { memberPrincipal, TestApi } from '../support/test-api.js';

type Target = { agencyId: string; tenantId: string };
const DAY_MS = 86_400_000;

/** Test-data mother: a plan version with these entitlements (everything unlimited and included unless said). */
async function insertPlanVersion(db: Sequelize, agencyId: string, entitlements: Partial<Entitlements> = {}): Promise<string> {
  const terms: Entitlements = {
    agents: null, seats: null, channels: ['sms', 'voice', 'whatsapp_linked', 'whatsapp_cloud', 'telegram', 'web_chat'],
    features: ['inbox.unified', 'voice.agent', 'audit.export'],
    allowances: { sms_segments: 0, voice_minutes: 0, whatsapp_messages: 0, ai_tokens: 0, ai_replies: 0 },
    ...entitlements,
  };
  const [plan] = await db.query<{ id: string }>(`INSERT INTO plans (agency_id, name, currency) VALUES (:agencyId, 'Entitlement plan', 'usd') RETURNING id`,
    { replacements: { agencyId }, type: QueryTypes.SELECT });
  const [version] = await db.query<{ id: string }>(
    `INSERT INTO plan_versions (plan_id, agency_id, version, monthly_price_minor, entitlements, created_by, stripe_sync_status)
     VALUES (:planId, :agencyId, 1, 4900, CAST(:entitlements AS jsonb), 'test', 'not_connected') RETURNING id`,
    { replacements: { planId: plan!.id, agencyId, entitlements: JSON.stringify(terms) }, type: QueryTypes.SELECT },
  );
  return version!.id;
}

/** The tenant's subscription in a given state (past due for `pastDueDays` days, grace as the agency set it). */
async function subscribe(db: Sequelize, t: Target, input: { versionId: string; status: SubscriptionStatus; pastDueDays?: number; billing?: string }): Promise<void> {
  await db.query(
    `INSERT INTO subscriptions (agency_id, tenant_id, plan_version_id, status, billing, interval, current_period_start, current_period_end, past_due_since)
     VALUES (:agencyId, :tenantId, :versionId, :status, :billing, 'month', now(), now() + interval '1 month', :pastDueSince)
     ON CONFLICT (tenant_id) DO UPDATE SET plan_version_id = EXCLUDED.plan_version_id, status = EXCLUDED.status, past_due_since = EXCLUDED.past_due_since`,
    { replacements: { ...t, ...input, billing: input.billing ?? 'manual', pastDueSince: input.pastDueDays === undefined ? null : new Date(Date.now() - input.pastDueDays * DAY_MS) } },
  );
}

async function insertAgents(db: Sequelize, t: Target, count: number): Promise<void> {
  for (let i = 0; i < count; i += 1) {
    await db.query(`INSERT INTO agents (agency_id, tenant_id, name, channels, web_key) VALUES (:agencyId, :tenantId, :name, '{sms}', :webKey)`,
      { replacements: { ...t, name: `Existing ${i + 1}`, webKey: `wk_${randomBytes(12).toString('base64url')}` } });
  }
}

// What each gated action answered: an HTTP status, or the 402's code.
type Outcome = number | 'PLAN_LIMIT' | 'FEATURE_NOT_IN_PLAN' | 'SUBSCRIPTION_RESTRICTED' | 'not 402';
type Row = {
  state: string;
  arrange: (db: Sequelize, t: Target) => Promise<void>;
  expected: { agent: Outcome; invite: Outcome; linkWhatsApp: Outcome; telegram: Outcome; auditExport: boolean; campaignSend: 'queued' | 'SUBSCRIPTION_RESTRICTED' };
};

const ALLOWED = { agent: 201, invite: 201, linkWhatsApp: 202, telegram: 'not 402', auditExport: true, campaignSend: 'queued' } as const;
const atLimits = { agents: 2, seats: 3, channels: ['sms', 'whatsapp_linked', 'web_chat'], features: ['audit.export'] } satisfies Partial<Entitlements>;

// Each tenant starts with 3 people (owner, admin, member) and the agents the row inserts.
const ROWS: Row[] = [
  { state: 'no subscription (billing not in use)', arrange: async (db, t) => insertAgents(db, t, 5), expected: ALLOWED },
  {
    state: 'incomplete (first Checkout never finished)',
    arrange: async (db, t) => { await insertAgents(db, t, 5); await subscribe(db, t, { versionId: await insertPlanVersion(db, t.agencyId, { ...atLimits, channels: [], features: [] }), status: 'incomplete' }); },
    expected: ALLOWED,
  },
  {
    state: 'active, at every limit (2 of 2 agents, 3 of 3 seats)',
    arrange: async (db, t) => { await insertAgents(db, t, 2); await subscribe(db, t, { versionId: await insertPlanVersion(db, t.agencyId, atLimits), status: 'active' }); },
    expected: { agent: 'PLAN_LIMIT', invite: 'PLAN_LIMIT', linkWhatsApp: 202, telegram: 'FEATURE_NOT_IN_PLAN', auditExport: true, campaignSend: 'queued' },
  },
  {
    state: 'trialing, over the limits after a downgrade (4 agents on, plan has 2; 3 people, plan has 1)',
    arrange: async (db, t) => { await insertAgents(db, t, 4); await subscribe(db, t, { versionId: await insertPlanVersion(db, t.agencyId, { ...atLimits, seats: 1 }), status: 'trialing' }); },
    expected: { agent: 'PLAN_LIMIT', invite: 'PLAN_LIMIT', linkWhatsApp: 202, telegram: 'FEATURE_NOT_IN_PLAN', auditExport: true, campaignSend: 'queued' },
  },
  {
    state: 'active, below the limits, features and channels missing',
    arrange: async (db, t) => { await insertAgents(db, t, 1); await subscribe(db, t, { versionId: await insertPlanVersion(db, t.agencyId, { agents: 2, seats: 10, channels: ['sms'], features: [] }), status: 'active' }); },
    expected: { agent: 201, invite: 201, linkWhatsApp: 'FEATURE_NOT_IN_PLAN', telegram: 'FEATURE_NOT_IN_PLAN', auditExport: false, campaignSend: 'queued' },
  },
  {
    state: 'past_due in grace (day 3 of 7)',
    arrange: async (db, t) => subscribe(db, t, { versionId: await insertPlanVersion(db, t.agencyId), status: 'past_due', pastDueDays: 3 }),
    expected: ALLOWED,
  },
  {
    state: 'past_due after grace (day 8 of 7)',
    arrange: async (db, t) => subscribe(db, t, { versionId: await insertPlanVersion(db, t.agencyId), status: 'past_due', pastDueDays: 8 }),
    expected: { ...ALLOWED, campaignSend: 'SUBSCRIPTION_RESTRICTED' },
  },
  {
    state: 'past_due day 3 with the agency grace set to 2 days',
    arrange: async (db, t) => {
      await db.query(`INSERT INTO agency_billing_settings (agency_id, grace_days) VALUES (:agencyId, 2)`, { replacements: t });
      await subscribe(db, t, { versionId: await insertPlanVersion(db, t.agencyId), status: 'past_due', pastDueDays: 3 });
    },
    expected: { ...ALLOWED, campaignSend: 'SUBSCRIPTION_RESTRICTED' },
  },
  { state: 'unpaid', arrange: async (db, t) => subscribe(db, t, { versionId: await insertPlanVersion(db, t.agencyId), status: 'unpaid' }), expected: { ...ALLOWED, campaignSend: 'SUBSCRIPTION_RESTRICTED' } },
  { state: 'canceled', arrange: async (db, t) => subscribe(db, t, { versionId: await insertPlanVersion(db, t.agencyId), status: 'canceled' }), expected: { ...ALLOWED, campaignSend: 'SUBSCRIPTION_RESTRICTED' } },
  {
    state: 'paused (comped)',
    arrange: async (db, t) => subscribe(db, t, { versionId: await insertPlanVersion(db, t.agencyId), status: 'paused', billing: 'comped' }),
    expected: { ...ALLOWED, campaignSend: 'SUBSCRIPTION_RESTRICTED' },
  },
];

function outcomeOf(res: request.Response): Outcome {
  if (res.status !== 402) return res.status;
  expect(res.body.error.code).to.equal('PAYMENT_REQUIRED');
  expect(res.body.error.details.upgradeUrl).to.equal('/billing');
  expect(res.body.error.message).to.match(/^Your (plan|subscription) .+\.$/);
  return res.body.error.details.code;
}

const matches = (actual: Outcome, expected: Outcome) => (expected === 'not 402' ? actual !== 'PLAN_LIMIT' && actual !== 'FEATURE_NOT_IN_PLAN' && actual !== 'SUBSCRIPTION_RESTRICTED' && actual !== 402 : actual === expected);

describe('entitlements through the HTTP API: every gated action × plan state answers 402 with the exact code, or goes through', () => {
  let db: Sequelize;
  let api: TestApi;

  before(async () => {
    db = superuserSequelize();
    api = TestApi.create();
  });
  after(async () => {
    await api.close();
    await db.close();
  });

  for (const row of ROWS) {
    it(`when ${row.state}, then agent ${row.expected.agent}, invite ${row.expected.invite}, WhatsApp ${row.expected.linkWhatsApp}, Telegram ${row.expected.telegram}, audit export ${row.expected.auditExport ? 'on' : 'off'}, campaign ${row.expected.campaignSend}`, async () => {
      const world = await createAgencyWorld(db);
      const tenant = world.tenants[0];
      const t = { agencyId: world.id, tenantId: tenant.id };
      await row.arrange(db, t);
      const admin = api.signIn(memberPrincipal(world.id, tenant.users.tenant_admin));

      const actual = {
        agent: outcomeOf(await request(api.app).post('/api/v1/agents').set(admin).send({ name: 'New agent', channels: ['sms'] })),
        invite: outcomeOf(await request(api.app).post('/api/v1/invitations').set(admin).send({ email: `new-${randomBytes(4).toString('hex')}@example.com`, role: 'tenant_member' })),
        linkWhatsApp: outcomeOf(await request(api.app).post('/api/v1/whatsapp/linked-device/pair').set(admin).send({})),
        telegram: outcomeOf(await request(api.app).put('/api/v1/tenant/providers/telegram').set(admin).send({ botToken: `123456789:${'A'.repeat(35)}` })),
        auditExport: (await request(api.app).get('/api/v1/features').set(admin).expect(200)).body.flags.find((f: { key: string }) => f.key === 'audit.export').enabled as boolean,
        campaignSend: await campaignOutcome(api, db, t, admin),
      };
      for (const key of ['agent', 'invite', 'linkWhatsApp', 'telegram'] as const) {
        expect(matches(actual[key], row.expected[key]), `${key}: ${actual[key]}`).to.equal(true);
      }
      expect([actual.auditExport, actual.campaignSend]).to.deep.equal([row.expected.auditExport, row.expected.campaignSend]);
    });
  }

  it('when refused, then the 402 body carries the code, the limit, the current value, what was refused and the sentence the portal shows', async () => {
    const world = await createAgencyWorld(db);
    const t = { agencyId: world.id, tenantId: world.tenants[0].id };
    await insertAgents(db, t, 3);
    await subscribe(db, t, { versionId: await insertPlanVersion(db, world.id, { agents: 3, channels: ['sms'] }), status: 'active' });
    const admin = api.signIn(memberPrincipal(world.id, world.tenants[0].users.tenant_admin));
    const res = await request(api.app).post('/api/v1/agents').set(admin).send({ name: 'Fourth', channels: ['sms'] }).expect(402);
    expect(res.body.error).to.deep.include({
      code: 'PAYMENT_REQUIRED',
      message: 'Your plan includes 3 AI agents and you have 3 switched on. Upgrade your plan to add another, or switch one off first.',
    });
    expect(res.body.error.details).to.deep.equal({ code: 'PLAN_LIMIT', limit: 3, current: 3, upgradeUrl: '/billing', action: 'agent.create' });
    // A paused agent does not count, and creating one switched off is not refused; switching it on is.
    const off = await request(api.app).post('/api/v1/agents').set(admin).send({ name: 'Draft', channels: ['sms'], enabled: false }).expect(201);
    expect((await request(api.app).patch(`/api/v1/agents/${off.body.id}`).set(admin).send({ enabled: true }).expect(402)).body.error.details.code).to.equal('PLAN_LIMIT');
    const web = await request(api.app).patch(`/api/v1/agents/${off.body.id}`).set(admin).send({ channels: ['web'] }).expect(402);
    expect(web.body.error.details).to.deep.include({ code: 'FEATURE_NOT_IN_PLAN', channel: 'web_chat', limit: null, current: null });
    expect(web.body.error.message).to.equal('Your plan does not include web chat. Upgrade your plan to connect it.');
  });

  it('when 50 "create agent" requests race at a limit of 3, then exactly 3 agents exist and 47 answers are 402 PLAN_LIMIT', async () => {
    const world = await createAgencyWorld(db);
    const t = { agencyId: world.id, tenantId: world.tenants[0].id };
    await subscribe(db, t, { versionId: await insertPlanVersion(db, world.id, { agents: 3 }), status: 'active' });
    const admin = api.signIn(memberPrincipal(world.id, world.tenants[0].users.tenant_admin));
    // The model's readiness is remembered first, so the race is about the limit only.
    await request(api.app).post('/api/v1/agents').set(admin).send({ name: 'Warm-up', channels: ['sms'], enabled: false }).expect(201);
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => request(api.app).post('/api/v1/agents').set(admin).send({ name: `Racer ${i}`, channels: ['sms'] })));
    const statuses = answers.map((res) => res.status);
    expect(statuses.filter((s) => s === 201)).to.have.length(3);
    expect(statuses.filter((s) => s === 402)).to.have.length(47);
    expect(new Set(answers.filter((res) => res.status === 402).map((res) => `${res.body.error.details.code} ${res.body.error.details.current}/${res.body.error.details.limit}`))).to.deep.equal(new Set(['PLAN_LIMIT 3/3']));
    const [row] = await db.query<{ count: string }>(`SELECT count(*) AS count FROM agents WHERE tenant_id = :tenantId AND enabled`, { replacements: t, type: QueryTypes.SELECT });
    expect(Number(row!.count)).to.equal(3);
  });

  it('when invitations hold seats, then pending ones count, a re-invite of the same address does not, and a revoked one frees its seat', async () => {
    const world: WorldAgency = await createAgencyWorld(db);
    const t = { agencyId: world.id, tenantId: world.tenants[0].id };
    await subscribe(db, t, { versionId: await insertPlanVersion(db, world.id, { seats: 5 }), status: 'active' });
    await createMember(db, { agencyId: world.id, tenantId: null, role: 'agency_operator' }); // agency staff take no tenant seat
    const owner = api.signIn(memberPrincipal(world.id, world.tenants[0].users.tenant_owner));
    const invite = (email: string) => request(api.app).post('/api/v1/invitations').set(owner).send({ email, role: 'tenant_member' });
    await invite('four@example.com').expect(201);
    const five = await invite('five@example.com').expect(201);
    await invite('five@example.com').expect(201); // replaces its own pending invitation
    const full = await invite('six@example.com').expect(402);
    expect(full.body.error.details).to.deep.include({ code: 'PLAN_LIMIT', limit: 5, current: 5 });
    const [latest] = await db.query<{ id: string }>(`SELECT id FROM invitations WHERE tenant_id = :tenantId AND email = 'five@example.com' AND revoked_at IS NULL`, { replacements: t, type: QueryTypes.SELECT });
    expect(five.body.invitation.id).to.not.equal(latest!.id);
    await request(api.app).delete(`/api/v1/invitations/${latest!.id}`).set(owner).expect((res) => expect(res.status).to.be.lessThan(300));
    await invite('six@example.com').expect(201);
  });
});

/** A follow-up to a contact who has not written: the send policy's answer (stored on the message). */
async function campaignOutcome(api: TestApi, db: Sequelize, t: Target, as: Record<string, string>): Promise<string> {
  const contact = await insertContact(db, t);
  const res = await request(api.app).post('/api/v1/messages').set(as).send({ contactId: contact.id, channel: 'web', body: 'Spring offer: 20% off cleanings' }).expect(201);
  return res.body.status === 'denied' ? res.body.policy.reason.code : res.body.status;
}
