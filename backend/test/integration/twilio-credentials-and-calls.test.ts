import { expect } from 'chai';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Sequelize } from 'sequelize';
import request from 'supertest';
import { FakeTwilio, TwilioWebhookSender } from '../../../tests/fakes/twilio/index.js';
import { loadConfig } from '../../src/config.js';
import { createContainer } from '../../src/container.js';
import { scopeRunner } from '../../src/db/tenant-scope.js';
import { processQueuedInbound } from '../../src/modules/inbound/process-queued-inbound.js';
import { enqueueOutbox } from '../../src/modules/outbox/enqueue-outbox.js';
import { DEFAULT_RETRY_POLICY } from '../../src/modules/outbox/retry-policy.js';
import { credentialLoader, loadCredentials } from '../../src/modules/provider-credentials/load-credentials.js';
import { createAgencyWorld, superuserSequelize, type WorldAgency } from '../support/accounts-world.js';
import { memberPrincipal, TestApi, testEnv } from '../support/test-api.js';
import { twilioCredentialsBody } from '../support/telephony-world.js';

/** The real app (API + webhooks) on a real port, TwilioVoice pointed at the fake Twilio, whose callbacks come back signed. */
describe('Twilio credentials and calls (real app, fake Twilio)', () => {
  let db: Sequelize;
  let api: TestApi;
  let fake: FakeTwilio;
  let server: Server;
  let world: WorldAgency;
  let admin: Record<string, string>;
  let member: Record<string, string>;

  before(async () => {
    db = superuserSequelize();
    fake = await FakeTwilio.start({ stepMs: 2 });
    api = new TestApi(createContainer(loadConfig(testEnv({ TWILIO_API_BASE_URL: fake.url }))));
    server = api.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    fake.callbacks.deliverTo = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    world = await createAgencyWorld(db);
    admin = api.signIn(memberPrincipal(world.id, world.tenants[0].users.tenant_admin));
    member = api.signIn(memberPrincipal(world.id, world.tenants[0].users.tenant_member));
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    await fake.close();
    await api.close();
    await db.close();
  });

  describe('provider credentials', () => {
    it('when an admin connects Twilio, then the token is encrypted at rest and never returned or audited', async () => {
      const body = twilioCredentialsBody({ missedCallMaxSeconds: 15 }, fake);
      const put = await request(api.app).put('/api/v1/tenant/providers/twilio').set(admin).send(body).expect(200);
      expect(put.body).to.deep.include({ provider: 'twilio', accountSidLast4: String(body.accountSid).slice(-4), phoneNumbers: body.phoneNumbers, missedCallMaxSeconds: 15 });
      const get = await request(api.app).get('/api/v1/tenant/providers/twilio').set(admin).expect(200);
      for (const res of [put, get]) {
        expect(res.text).to.not.contain(String(body.authToken));
        expect(res.text).to.not.contain(String(body.accountSid));
      }
      const [rows] = (await db.query('SELECT secret_ciphertext, metadata::text AS metadata FROM provider_credentials WHERE tenant_id = :t', {
        replacements: { t: world.tenants[0].id },
      })) as [{ secret_ciphertext: string; metadata: string }[], unknown];
      expect(rows).to.have.length(1);
      expect(rows[0]!.secret_ciphertext).to.match(/^v1\./);
      expect(rows[0]!.secret_ciphertext + rows[0]!.metadata).to.not.contain(String(body.authToken));
      const [audit] = (await db.query(`SELECT action, after::text AS after FROM audit_events WHERE tenant_id = :t AND action LIKE 'provider_account.%'`, {
        replacements: { t: world.tenants[0].id },
      })) as [{ action: string; after: string }[], unknown];
      expect(audit.map((a) => a.action)).to.deep.equal(['provider_account.connected']);
      expect(audit[0]!.after).to.not.contain(String(body.authToken));
    });

    it('when the pipeline loads the credentials, then it gets them decrypted (by tenant, with or without the agency)', async () => {
      const body = twilioCredentialsBody({}, fake);
      await request(api.app).put('/api/v1/tenant/providers/twilio').set(admin).send(body).expect(200);
      const deps = { runInScope: scopeRunner(api.container.sequelize), encryptionKey: api.container.config.secrets.encryptionKey };
      const expected = { accountSid: body.accountSid, authToken: body.authToken, phoneNumbers: body.phoneNumbers };
      expect(await credentialLoader(deps)(world.tenants[0].id, 'twilio')).to.deep.equal(expected);
      expect(await loadCredentials(deps, { agencyId: world.id, tenantId: world.tenants[0].id, provider: 'twilio' })).to.deep.equal(expected);
      expect(await credentialLoader(deps)(world.tenants[1].id, 'twilio')).to.equal(undefined);
    });

    it('when another tenant claims a number already connected, then 409 and the first keeps it', async () => {
      const body = twilioCredentialsBody({}, fake);
      await request(api.app).put('/api/v1/tenant/providers/twilio').set(admin).send(body).expect(200);
      const otherAdmin = api.signIn(memberPrincipal(world.id, world.tenants[1].users.tenant_admin));
      await request(api.app).put('/api/v1/tenant/providers/twilio').set(otherAdmin).send(twilioCredentialsBody({ phoneNumbers: body.phoneNumbers }, fake)).expect(409);
    });

    it('when a member (no settings permission) reads the credentials, then 403', async () => {
      await request(api.app).get('/api/v1/tenant/providers/twilio').set(member).expect(403);
    });

    it('when the admin disconnects Twilio, then it is gone and its numbers no longer route webhooks', async () => {
      const otherAdmin = api.signIn(memberPrincipal(world.id, world.tenants[1].users.tenant_admin));
      await request(api.app).put('/api/v1/tenant/providers/twilio').set(otherAdmin).send(twilioCredentialsBody({}, fake)).expect(200);
      await request(api.app).delete('/api/v1/tenant/providers/twilio').set(otherAdmin).expect(204);
      await request(api.app).get('/api/v1/tenant/providers/twilio').set(otherAdmin).expect(404);
      const [numbers] = (await db.query('SELECT 1 FROM provider_numbers WHERE tenant_id = :t', { replacements: { t: world.tenants[1].id } })) as [unknown[], unknown];
      expect(numbers).to.have.length(0);
    });
  });

  describe('calls', () => {
    let account: { sid: string; authToken: string };
    let ourNumber: string;

    before(async () => {
      ourNumber = '+15005550006';
      account = fake.addAccount({ numbers: [ourNumber] });
      await request(api.app).put('/api/v1/tenant/providers/twilio').set(admin)
        .send({ accountSid: account.sid, authToken: account.authToken, phoneNumbers: [ourNumber] }).expect(200);
    });

    it('when a member places a call, then Twilio speaks the message and the signed progress callbacks complete the call log with one event', async () => {
      const res = await request(api.app).post('/api/v1/calls').set(member).send({ to: '+14155550142', message: 'Your order is ready & waiting' }).expect(201);
      expect(res.body).to.include({ direction: 'outbound', from: ourNumber, to: '+14155550142' });
      expect(res.body.providerCallId).to.match(/^CA/);
      expect(fake.calls[0]!.twiml).to.contain('Your order is ready &amp; waiting');
      await fake.settled();
      expect(fake.callbacks.deliveries.map((d) => d.status)).to.deep.equal([200, 200, 200, 200]);
      const call = await request(api.app).get(`/api/v1/calls/${res.body.id}`).set(member).expect(200);
      expect(call.body).to.include({ status: 'completed', durationSeconds: 30, outcome: 'completed' });
      const list = await request(api.app).get('/api/v1/calls').query({ direction: 'outbound' }).set(member).expect(200);
      expect(list.body.calls.map((c: { id: string }) => c.id)).to.include(res.body.id);
      const [events] = (await db.query(`SELECT type FROM event_outbox WHERE tenant_id = :t AND data->>'callId' = :id`, {
        replacements: { t: world.tenants[0].id, id: res.body.id },
      })) as [{ type: string }[], unknown];
      expect(events.map((e) => e.type)).to.deep.equal(['call.completed']);
    });

    it('when Twilio rejects the number, then 400 and the call log says failed', async () => {
      fake.rejectNumber('+14155550143', 21211);
      const res = await request(api.app).post('/api/v1/calls').set(member).send({ to: '+14155550143', message: 'hi' });
      expect(res.status).to.equal(400);
      expect(res.body.error.details[0]).to.include({ code: '21211' });
      const [rows] = (await db.query(`SELECT status FROM call_logs WHERE to_number = '+14155550143'`)) as [{ status: string }[], unknown];
      expect(rows.map((r) => r.status)).to.deep.equal(['failed']);
    });

    it('when the tenant is suspended, then no call is placed (403)', async () => {
      const before = fake.calls.length;
      await db.query(`UPDATE tenants SET status = 'suspended' WHERE id = :id`, { replacements: { id: world.tenants[0].id } });
      try {
        const res = await request(api.app).post('/api/v1/calls').set(member).send({ to: '+14155550144', message: 'hi' });
        expect(res.status).to.equal(403);
        expect(fake.calls.length).to.equal(before);
      } finally {
        await db.query(`UPDATE tenants SET status = 'active' WHERE id = :id`, { replacements: { id: world.tenants[0].id } });
      }
    });

    it('when a contact texts our number, then it is queued once (webhook delivered twice) and the worker pass stores one inbound message', async () => {
      const sender = new TwilioWebhookSender({ publicUrl: 'https://switchboard.test', deliverTo: fake.callbacks.deliverTo!, accountSid: account.sid, authToken: account.authToken });
      const hook = sender.inboundSmsWebhook({ from: '+14155550146', to: ourNumber, body: 'Are you open on Sunday?' });
      expect((await sender.post(hook)).status).to.equal(200);
      expect((await sender.post(hook)).status).to.equal(200);
      const queued = async () =>
        ((await db.query(`SELECT count(*)::int AS n FROM inbound_queue WHERE provider_message_id = :sid`, { replacements: { sid: hook.params.MessageSid } })) as [{ n: number }[], unknown])[0][0]!.n;
      expect(await queued()).to.equal(1);
      const messaging = { runInScope: scopeRunner(api.container.sequelize), events: api.container.events, enqueueOutbox };
      await processQueuedInbound({ sequelize: api.container.sequelize, messaging, logger: api.container.logger, retry: DEFAULT_RETRY_POLICY });
      expect(await queued()).to.equal(0);
      const [rows] = (await db.query(`SELECT tenant_id, direction, body FROM messages WHERE provider_message_id = :sid`, {
        replacements: { sid: hook.params.MessageSid },
      })) as [{ tenant_id: string; direction: string; body: string }[], unknown];
      expect(rows).to.deep.equal([{ tenant_id: world.tenants[0].id, direction: 'inbound', body: 'Are you open on Sunday?' }]);
    });

    it('when the tenant has no Twilio account, then 409', async () => {
      const otherMember = api.signIn(memberPrincipal(world.id, world.tenants[1].users.tenant_member));
      await request(api.app).post('/api/v1/calls').set(otherMember).send({ to: '+14155550145', message: 'hi' }).expect(409);
    });
  });
});
