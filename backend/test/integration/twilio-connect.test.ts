import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Sequelize } from 'sequelize';
import request from 'supertest';
import { FakeTwilio } from '../../../tests/fakes/twilio/index.js';
import { loadConfig } from '../../src/config.js';
import { createContainer } from '../../src/container.js';
import { createAgencyWorld, superuserSequelize, type WorldAgency } from '../support/accounts-world.js';
import { freshUsNumber } from '../support/telephony-world.js';
import { memberPrincipal, TestApi, testEnv } from '../support/test-api.js';

async function freePort(): Promise<number> {
  const probe: Server = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/**
 * Connecting Twilio verifies and configures (issue 12): the real app against the fake Twilio, listening on
 * the API port so "Send a test missed call" goes through our real webhook endpoint.
 */
describe('Twilio connect: verify, pick a number, configure webhooks, test missed call (real app, fake Twilio)', () => {
  let db: Sequelize;
  let fake: FakeTwilio;
  let api: TestApi;
  let server: Server;
  let world: WorldAgency;
  let admin: Record<string, string>;
  const PUBLIC_URL = 'https://switchboard.example.com';
  const put = (body: object, who = admin) => request(api.app).put('/api/v1/tenant/providers/twilio').set(who).send(body);

  before(async () => {
    db = superuserSequelize();
    fake = await FakeTwilio.start({ stepMs: 2 });
    const port = await freePort();
    api = new TestApi(createContainer(loadConfig(testEnv({ TWILIO_API_BASE_URL: fake.url, PUBLIC_URL, API_PORT: String(port), API_HOST: '127.0.0.1' }))));
    server = api.app.listen(port, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    world = await createAgencyWorld(db);
    admin = api.signIn(memberPrincipal(world.id, world.tenants[0].users.tenant_admin));
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    await fake.close();
    await api.close();
    await db.close();
  });

  it('when the credentials are wrong, then 400 names the Auth Token, Twilio saw one account fetch, and nothing is stored', async () => {
    const account = fake.addAccount({ numbers: [freshUsNumber()] });
    const res = await put({ accountSid: account.sid, authToken: 'x'.repeat(32) }).expect(400);
    expect(res.body.error.details).to.deep.include({ path: 'body.authToken', message: res.body.error.details[0].message, code: 'provider_rejected' });
    expect(res.body.error.details[0].message).to.contain('20003');
    expect(fake.requests.filter((r) => r.path === `/2010-04-01/Accounts/${account.sid}.json`).map((r) => r.status)).to.deep.equal([401]);
    await request(api.app).get('/api/v1/tenant/providers/twilio').set(admin).expect(404);
  });

  it('when Twilio cannot be reached, then 503 PROVIDER_UNREACHABLE naming Twilio', async () => {
    const offline = TestApi.create({ TWILIO_API_BASE_URL: 'http://127.0.0.1:9' });
    try {
      const account = fake.addAccount();
      const res = await request(offline.app).put('/api/v1/tenant/providers/twilio').set(offline.signIn(memberPrincipal(world.id, world.tenants[1].users.tenant_admin)))
        .send({ accountSid: account.sid, authToken: account.authToken }).expect(503);
      expect(res.body.error).to.include({ code: 'PROVIDER_UNREACHABLE' });
      expect(res.body.error.details).to.include({ provider: 'twilio' });
    } finally {
      await offline.close();
    }
  });

  it('when verified without a number, then the account numbers are listed; choosing one sets its SMS and call-status webhooks at Twilio', async () => {
    const [first, second] = [freshUsNumber(), freshUsNumber()];
    const account = fake.addAccount({ numbers: [first, second] });
    const verified = await put({ accountSid: account.sid, authToken: account.authToken }).expect(200);
    expect(verified.body).to.deep.include({ phoneNumbers: [], availableNumbers: [first, second], webhooks: null, accountName: `Fake Twilio account ${account.sid.slice(-4)}` });
    expect(fake.numberUpdates).to.have.length(0);

    const chosen = await request(api.app).put('/api/v1/tenant/providers/twilio/number').set(admin).send({ phoneNumber: second }).expect(200);
    const webhooks = { smsUrl: `${PUBLIC_URL}/webhooks/twilio/sms/inbound`, statusCallback: `${PUBLIC_URL}/webhooks/twilio/voice/status` };
    expect(chosen.body).to.deep.include({ phoneNumbers: [second], webhooks: { ...webhooks, configured: true, note: null } });
    expect(fake.numberUpdates.map((u) => [u.phoneNumber, u.params])).to.deep.equal([
      [second, { SmsUrl: webhooks.smsUrl, SmsMethod: 'POST', StatusCallback: webhooks.statusCallback, StatusCallbackMethod: 'POST' }],
    ]);
    expect(fake.numberConfig(second)).to.include({ smsUrl: webhooks.smsUrl, statusCallback: webhooks.statusCallback });
    expect(fake.numberConfig(first)).to.include({ smsUrl: null, statusCallback: null });

    const notOwned = await request(api.app).put('/api/v1/tenant/providers/twilio/number').set(admin).send({ phoneNumber: freshUsNumber() }).expect(400);
    expect(notOwned.body.error.details[0]).to.include({ path: 'body.phoneNumber', code: 'not_in_account' });
  });

  it('when "Send a test missed call" is pressed, then a signed no-answer webhook runs the real path: a missed call flagged as a test, from a fictional caller', async () => {
    const res = await request(api.app).post('/api/v1/tenant/providers/twilio/test-call').set(admin).send({}).expect(200);
    expect(res.body.test).to.equal(true);
    expect(res.body.from).to.match(/^\+131255501\d\d$/);
    const calls = await request(api.app).get('/api/v1/calls').set(admin).expect(200);
    const call = calls.body.calls.find((c: { providerCallId: string }) => c.providerCallId === res.body.callSid);
    expect(call).to.include({ isTest: true, outcome: 'missed', status: 'no-answer', from: res.body.from, to: res.body.to, direction: 'inbound' });
    const [events] = (await db.query(`SELECT type, data FROM event_outbox WHERE tenant_id = :t AND data->>'callId' = :id`, {
      replacements: { t: world.tenants[0].id, id: call.id },
    })) as [{ type: string; data: { test?: boolean } }[], unknown];
    expect(events.map((e) => [e.type, e.data.test])).to.deep.equal([['call.missed', true]]);
    const [audit] = (await db.query(`SELECT after FROM audit_events WHERE tenant_id = :t AND action = 'twilio.test_call.sent'`, {
      replacements: { t: world.tenants[0].id },
    })) as [{ after: { test: boolean; callerIsUsersOwnNumber: boolean } }[], unknown];
    expect(audit.map((a) => [a.after.test, a.after.callerIsUsersOwnNumber])).to.deep.equal([[true, false]]);
  });

  it('when the test call names the user\'s own number, then that number is the caller; a real webhook is never flagged', async () => {
    const own = freshUsNumber();
    const res = await request(api.app).post('/api/v1/tenant/providers/twilio/test-call').set(admin).send({ callerNumber: own }).expect(200);
    expect(res.body.from).to.equal(own);
    const [rows] = (await db.query(`SELECT is_test FROM call_logs WHERE tenant_id = :t AND from_number = :own`, { replacements: { t: world.tenants[0].id, own } })) as [{ is_test: boolean }[], unknown];
    expect(rows.map((r) => r.is_test)).to.deep.equal([true]);
    const [real] = (await db.query(`SELECT count(*)::int AS n FROM call_logs WHERE is_test AND provider_call_id NOT IN (SELECT target_id FROM audit_events WHERE action = 'twilio.test_call.sent')`)) as [{ n: number }[], unknown];
    expect(real[0]!.n).to.equal(0);
  });
});
