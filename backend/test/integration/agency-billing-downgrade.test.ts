import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { QueryTypes, type Sequelize } from 'sequelize';
import request from 'supertest';
import { createAgencyWorld, superuserSequelize, type WorldAgency } from '../support/accounts-world.js';
import { planBody, starterEntitlements } from '../support/plans-world.js';
import { memberPrincipal, TestApi } from '../support/test-api.js';

type AgentState = { name: string; enabled: boolean };

describe('downgrades never destroy data: over-limit agents are paused, audited, and the owner chooses which stay on', () => {
  let db: Sequelize;
  let api: TestApi;
  let x: WorldAgency;
  let agencyOwner: Record<string, string>;
  let tenantOwner: Record<string, string>;
  let tenantId: string;

  const createPlan = async (name: string, agents: number | null) =>
    (await request(api.app).post('/api/v1/agency/plans').set(agencyOwner).send(planBody({ name, entitlements: starterEntitlements({ agents, channels: ['sms'] }) })).expect(201)).body.plan.id as string;
  const assign = (planId: string, kind = 'manual') => request(api.app).put(`/api/v1/agency/tenants/${tenantId}/subscription`).set(agencyOwner).send({ kind, planId }).expect(200);
  const agents = async () => (await db.query<AgentState & { id: string }>(
    'SELECT id, name, enabled FROM agents WHERE tenant_id = :tenantId ORDER BY created_at', { replacements: { tenantId }, type: QueryTypes.SELECT }));
  const idOf = async (name: string) => (await agents()).find((a) => a.name === name)!.id;
  const switchOn = (name: string, on: boolean) => idOf(name).then((id) => request(api.app).patch(`/api/v1/agents/${id}`).set(tenantOwner).send({ enabled: on }));

  before(async () => {
    db = superuserSequelize();
    api = TestApi.create({ STRIPE_SECRET_KEY: '' });
    x = await createAgencyWorld(db);
    tenantId = x.tenants[0].id;
    agencyOwner = api.signIn(memberPrincipal(x.id, x.owner));
    tenantOwner = api.signIn(memberPrincipal(x.id, x.tenants[0].users.tenant_owner));
    // Five agents made a minute apart (oldest first); "Drafts" was already switched off by the owner.
    const names = ['Reception', 'Bookings', 'Drafts', 'Reviews', 'Night shift'];
    for (const [i, name] of names.entries()) {
      await db.query(
        `INSERT INTO agents (agency_id, tenant_id, name, channels, enabled, web_key, created_at)
         VALUES (:agencyId, :tenantId, :name, '{sms}', :enabled, :webKey, now() - make_interval(mins => :age))`,
        { replacements: { agencyId: x.id, tenantId, name, enabled: name !== 'Drafts', webKey: `wk_${randomBytes(12).toString('base64url')}`, age: 10 - i } },
      );
    }
  });
  after(async () => {
    await api.close();
    await db.close();
  });

  it('when staff assign a plan with unlimited agents, then no agent changes', async () => {
    await assign(await createPlan('Unlimited', null));
    expect((await agents()).map((a) => a.enabled)).to.deep.equal([true, true, false, true, true]);
  });

  it('when staff move the tenant to a plan with 2 agents, then the 2 oldest switched-on agents stay on, the newer ones are paused (not deleted) and each pause is audited', async () => {
    await assign(await createPlan('Small', 2));
    expect((await agents()).map(({ name, enabled }) => ({ name, enabled }))).to.deep.equal([
      { name: 'Reception', enabled: true }, { name: 'Bookings', enabled: true }, { name: 'Drafts', enabled: false },
      { name: 'Reviews', enabled: false }, { name: 'Night shift', enabled: false },
    ]);
    const audit = await db.query<{ action: string; targetId: string; actorId: string; after: Record<string, unknown> }>(
      `SELECT action, target_id AS "targetId", actor_id AS "actorId", after FROM audit_events WHERE tenant_id = :tenantId AND action = 'agent.paused_by_plan' ORDER BY seq`,
      { replacements: { tenantId }, type: QueryTypes.SELECT },
    );
    expect(audit.map((e) => e.targetId).sort()).to.deep.equal([await idOf('Reviews'), await idOf('Night shift')].sort());
    expect(audit.every((e) => e.actorId === x.owner.userId && e.after.reason === 'plan_limit' && e.after.limit === 2)).to.equal(true);
  });

  it('when the owner switches a paused agent on at the limit, then it is 402 PLAN_LIMIT; after switching another off, it goes through', async () => {
    const refused = await switchOn('Night shift', true);
    expect(refused.status).to.equal(402);
    expect(refused.body.error.details).to.deep.include({ code: 'PLAN_LIMIT', limit: 2, current: 2 });
    expect((await switchOn('Bookings', false)).status).to.equal(200);
    expect((await switchOn('Night shift', true)).status).to.equal(200);
    expect((await agents()).filter((a) => a.enabled).map((a) => a.name)).to.deep.equal(['Reception', 'Night shift']);
  });

  it('when the tenant is comped on a 1-agent plan, then the newer of the two is paused; an upgrade switches nothing back on by itself', async () => {
    await assign(await createPlan('Solo', 1), 'comped');
    expect((await agents()).filter((a) => a.enabled).map((a) => a.name)).to.deep.equal(['Reception']);
    await assign(await createPlan('Big', 10));
    expect((await agents()).filter((a) => a.enabled).map((a) => a.name)).to.deep.equal(['Reception']);
    expect(await agents()).to.have.length(5);
  });

  it('when staff cut a plan version\'s agents and move its subscribers to the new version, then the extra agents are paused too', async () => {
    // The tenant is on "Big" (10 agents): switch four on, then Big's new version allows 2 and subscribers are moved.
    for (const name of ['Bookings', 'Reviews', 'Night shift']) expect((await switchOn(name, true)).status).to.equal(200);
    const bigId = (await db.query<{ id: string }>(`SELECT id FROM plans WHERE agency_id = :agencyId AND name = 'Big'`, { replacements: { agencyId: x.id }, type: QueryTypes.SELECT }))[0]!.id;
    const edited = await request(api.app).patch(`/api/v1/agency/plans/${bigId}`).set(agencyOwner).send({ entitlements: starterEntitlements({ agents: 2, channels: ['sms'] }) }).expect(200);
    expect(edited.body.outcome).to.equal('new_version');
    expect((await agents()).filter((a) => a.enabled)).to.have.length(4);
    await request(api.app).post(`/api/v1/agency/plans/${bigId}/move-subscribers`).set(agencyOwner).send({}).expect(200);
    expect((await agents()).filter((a) => a.enabled).map((a) => a.name)).to.deep.equal(['Reception', 'Bookings']);
    expect(await agents()).to.have.length(5);
  });
});
