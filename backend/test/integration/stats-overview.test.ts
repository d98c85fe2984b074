import { expect } from 'chai';
import type { Sequelize } from 'sequelize';
import request from 'supertest';
import { scopeRunner } from '../../src/db/tenant-scope.js';
import { outboxEventBus } from '../../src/modules/events/publish-event.js';
import { receiveInbound } from '../../src/modules/messages/receive-inbound.js';
import { enqueueOutbox } from '../../src/modules/outbox/enqueue-outbox.js';
import { createAgencyWorld, superuserSequelize, type WorldAgency } from '../support/accounts-world.js';
import { freshPhone } from '../support/messaging-world.js';
import { insertCallLog } from '../support/telephony-world.js';
import { memberPrincipal, TestApi } from '../support/test-api.js';

describe("the home page's figures (GET /api/v1/stats/overview)", () => {
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

  it('when a missed call was followed up on WhatsApp and SMS, the caller replied and then opted out, then today and the week count each once; another tenant sees none of it', async () => {
    const tenant = world.tenants[0];
    const scope = { agencyId: world.id, tenantId: tenant.id };
    const admin = api.signIn(memberPrincipal(world.id, tenant.users.tenant_admin));
    const phone = freshPhone();
    const call = await insertCallLog(db, { ...scope, status: 'no-answer' });
    await db.query(`UPDATE call_logs SET outcome = 'missed', from_number = :phone WHERE id = :id`, { replacements: { phone, id: call.id } });
    const contact = (await request(api.app).post('/api/v1/contacts').set(admin).send({ phone, name: 'Caller', timeZone: 'UTC' }).expect(201)).body as { id: string };
    // On the Cloud API (a linked device refuses WhatsApp messages to callers who never wrote to it).
    await db.query(`INSERT INTO messaging_settings (tenant_id, agency_id, whatsapp_transport) VALUES (:tenantId, :agencyId, 'cloud')
      ON CONFLICT (tenant_id) DO UPDATE SET whatsapp_transport = 'cloud'`, { replacements: scope });
    for (const channel of ['whatsapp', 'sms']) {
      await request(api.app).post(`/api/v1/contacts/${contact.id}/consent`).set(admin).send({ channel, kind: 'opt_in', source: 'call', wording: 'Call me back' }).expect(201);
      // WhatsApp opens with a template (free text to someone who never wrote is denied, and a denial is no follow-up).
      const content = channel === 'whatsapp' ? { template: { name: 'missed_call_follow_up' } } : { body: 'Sorry we missed you' };
      await request(api.app).post('/api/v1/messages').set(admin).send({ contactId: contact.id, channel, ...content }).expect(201);
    }
    const runInScope = scopeRunner(api.container.sequelize);
    const deps = { runInScope, events: outboxEventBus(api.container.sequelize), enqueueOutbox };
    await receiveInbound(deps, { ...scope, channel: 'sms', from: phone, to: '+15005550006', body: 'Thanks, call me at 5', providerMessageId: `SM${Date.now()}a`, provider: 'twilio', receivedAt: new Date() });
    await receiveInbound(deps, { ...scope, channel: 'sms', from: phone, to: '+15005550006', body: 'STOP', providerMessageId: `SM${Date.now()}b`, provider: 'twilio', receivedAt: new Date() });

    const overview = (await request(api.app).get('/api/v1/stats/overview').set(admin).expect(200)).body;
    const expected = { missedCalls: 1, followedUpWhatsapp: 1, followedUpSms: 1, replies: 2, optOuts: 1 };
    expect(overview.today).to.deep.equal(expected);
    expect(overview.week).to.deep.equal(expected);
    expect(overview.days).to.have.length(7);
    expect(overview.days.at(-1)).to.deep.include({ missedCalls: 1, replies: 2 });

    const other = api.signIn(memberPrincipal(world.id, world.tenants[1].users.tenant_admin));
    const theirs = (await request(api.app).get('/api/v1/stats/overview').set(other).expect(200)).body;
    expect(theirs.week).to.deep.equal({ missedCalls: 0, followedUpWhatsapp: 0, followedUpSms: 0, replies: 0, optOuts: 0 });
  });
});
