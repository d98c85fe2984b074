import { expect } from 'chai';
import type { Sequelize } from 'sequelize';
import request from 'supertest';
import { loadConfig } from '../../src/config.js';
import { createContainer } from '../../src/container.js';
import { findConfiguredPacing } from '../../src/modules/outbox/sender-pacing.js';
import { createAgencyWorld, superuserSequelize, type WorldAgency } from '../support/accounts-world.js';
import { memberPrincipal, TestApi, testEnv } from '../support/test-api.js';

describe('sender pacing overrides over the API', () => {
  let db: Sequelize;
  let api: TestApi;
  let world: WorldAgency;

  before(async () => {
    db = superuserSequelize();
    api = new TestApi(createContainer(loadConfig(testEnv())));
    world = await createAgencyWorld(db);
  });
  after(async () => {
    await api.close();
    await db.close();
  });

  it('when an admin sets a sender to 5/s and a channel default, then the API returns them, the pipeline reads them and the change is audited', async () => {
    const admin = api.signIn(memberPrincipal(world.id, world.tenants[0].users.tenant_admin));
    const pacing = [{ channel: 'sms', sender: null, messagesPerSecond: 0.5 }, { channel: 'sms', sender: '+14155550177', messagesPerSecond: 5 }];
    const put = await request(api.app).put('/api/v1/messaging-settings/pacing').set(admin).send({ pacing }).expect(200);
    expect(put.body.pacing).to.deep.equal(pacing);
    const got = await request(api.app).get('/api/v1/messaging-settings/pacing').set(admin).expect(200);
    expect(got.body.pacing).to.deep.equal(pacing);
    const tenantId = world.tenants[0].id;
    const [[configured, fallback]] = await Promise.all([
      db.transaction(async (tx) => [
        await findConfiguredPacing(tx, { tenantId, channel: 'sms', from: '+14155550177' }),
        await findConfiguredPacing(tx, { tenantId, channel: 'sms', from: '+14155550100' }),
      ]),
    ]);
    expect([configured, fallback]).to.deep.equal([5, 0.5]);
    const [audits] = (await db.query(`SELECT count(*)::int AS n FROM audit_events WHERE tenant_id = :t AND action = 'sender_pacing.updated'`, {
      replacements: { t: tenantId },
    })) as [{ n: number }[], unknown];
    expect(audits[0]!.n).to.equal(1);
  });

  it('when the same sender appears twice or a pace is not positive, then 400 names the problem and nothing changes', async () => {
    const admin = api.signIn(memberPrincipal(world.id, world.tenants[1].users.tenant_admin));
    const twice = [{ channel: 'sms', sender: '+14155550178', messagesPerSecond: 1 }, { channel: 'sms', sender: '+14155550178', messagesPerSecond: 2 }];
    const dup = await request(api.app).put('/api/v1/messaging-settings/pacing').set(admin).send({ pacing: twice }).expect(400);
    expect(JSON.stringify(dup.body)).to.contain('once');
    await request(api.app).put('/api/v1/messaging-settings/pacing').set(admin).send({ pacing: [{ channel: 'sms', sender: null, messagesPerSecond: 0 }] }).expect(400);
    const got = await request(api.app).get('/api/v1/messaging-settings/pacing').set(admin).expect(200);
    expect(got.body.pacing).to.deep.equal([]);
  });
});
