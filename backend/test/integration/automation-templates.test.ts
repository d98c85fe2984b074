import { expect } from 'chai';
import type { Sequelize } from 'sequelize';
import request from 'supertest';
import { createAgencyWorld, superuserSequelize, type WorldAgency } from '../support/accounts-world.js';
import { insertToken } from '../support/route-cases.js';
import { memberPrincipal, TestApi } from '../support/test-api.js';

describe('automation templates: the wording of the shipped workflows, per tenant', () => {
  let db: Sequelize;
  let api: TestApi;
  let world: WorldAgency;

  before(async () => {
    db = superuserSequelize();
    api = TestApi.create();
    world = await createAgencyWorld(db);
  });
  after(async () => {
    await api.close();
    await db.close();
  });

  it('when a tenant writes its own missed-call text, then n8n (agency token acting for it) reads that text, another tenant still the default, and a reset brings the default back', async () => {
    const [a, b] = world.tenants;
    const admin = api.signIn(memberPrincipal(world.id, a.users.tenant_admin));
    const list = await request(api.app).get('/api/v1/automation-templates').set(admin).expect(200);
    expect(list.body.templates.map((t: { key: string; custom: boolean }) => [t.key, t.custom])).to.deep.equal([['missed_call', false], ['follow_up_second', false], ['follow_up_last', false]]);
    await request(api.app).put('/api/v1/automation-templates/missed_call').set(admin).send({ text: 'Bright Smile here: sorry we missed you!', whatsappTemplate: 'bright_missed' }).expect(200);
    await request(api.app).put('/api/v1/automation-templates/missed_call').set(admin).send({ text: 'x', whatsappTemplate: 'Not A Name' }).expect(400);
    await request(api.app).put('/api/v1/automation-templates/missed_call').set(api.signIn(memberPrincipal(world.id, a.users.tenant_member))).send({ text: 'nope' }).expect(403);

    const { token } = await insertToken(db, { agencyId: world.id, tenantId: null, permissions: ['agency.act_as_tenant', 'tenant.read'] });
    const asN8n = (tenantId: string) => ({ authorization: `Bearer ${token}`, 'x-switchboard-tenant': tenantId });
    const mine = await request(api.app).get('/api/v1/automation-templates/missed_call').set(asN8n(a.id)).expect(200);
    expect(mine.body).to.include({ text: 'Bright Smile here: sorry we missed you!', whatsappTemplate: 'bright_missed', whatsappLanguage: 'en', custom: true });
    const theirs = await request(api.app).get('/api/v1/automation-templates/missed_call').set(asN8n(b.id)).expect(200);
    expect(theirs.body).to.include({ custom: false, whatsappTemplate: 'missed_call_follow_up' });

    const reset = await request(api.app).delete('/api/v1/automation-templates/missed_call').set(admin).expect(200);
    expect(reset.body).to.include({ custom: false, whatsappTemplate: 'missed_call_follow_up' });
    const [audit] = (await db.query(`SELECT action FROM audit_events WHERE target_id = 'missed_call' AND tenant_id = :t ORDER BY seq`, { replacements: { t: a.id } })) as [{ action: string }[], unknown];
    expect(audit.map((r) => r.action)).to.deep.equal(['automation_template.updated', 'automation_template.reset']);
    await request(api.app).get('/api/v1/automation-templates/no_such_key').set(admin).expect(400);
  });
});
