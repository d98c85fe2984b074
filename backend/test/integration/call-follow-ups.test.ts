import { expect } from 'chai';
import type { Sequelize } from 'sequelize';
import request from 'supertest';
import { createAgencyWorld, superuserSequelize, type WorldAgency } from '../support/accounts-world.js';
import { insertContact } from '../support/messaging-world.js';
import { insertCallLog } from '../support/telephony-world.js';
import { memberPrincipal, TestApi } from '../support/test-api.js';

describe('call log with follow-ups (what the missed-call automation sent for each call)', () => {
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

  it('when the automation followed a missed call up on WhatsApp and then SMS, then the call lists both; other calls and tenants list none', async () => {
    const [a, b] = world.tenants;
    const member = api.signIn(memberPrincipal(world.id, a.users.tenant_member));
    const missed = await insertCallLog(db, { agencyId: world.id, tenantId: a.id, status: 'no-answer' });
    const answered = await insertCallLog(db, { agencyId: world.id, tenantId: a.id, status: 'completed' });
    const contact = await insertContact(db, { agencyId: world.id, tenantId: a.id });
    // The workflow's sends, keyed as sb-after-call-followup.json keys them.
    for (const [channel, key] of [['whatsapp', `missed-call:${missed.id}`], ['sms', `missed-call:${missed.id}:sms`]] as const) {
      await request(api.app).post('/api/v1/messages').set(member).set('idempotency-key', key).send({ contactId: contact.id, channel, body: 'Sorry we missed your call!' }).expect(201);
    }
    const list = await request(api.app).get('/api/v1/calls').set(member).expect(200);
    const byId = new Map(list.body.calls.map((c: { id: string; followUps: { channel: string }[] }) => [c.id, c.followUps.map((f) => f.channel)]));
    expect(byId.get(missed.id)).to.deep.equal(['whatsapp', 'sms']);
    expect(byId.get(answered.id)).to.deep.equal([]);

    const otherTenant = api.signIn(memberPrincipal(world.id, b.users.tenant_member));
    const theirs = await request(api.app).get('/api/v1/calls').set(otherTenant).expect(200);
    expect(theirs.body.calls.map((c: { id: string }) => c.id)).not.to.include(missed.id);
  });
});
