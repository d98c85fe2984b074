import { expect } from 'chai';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { Sequelize } from 'sequelize';
import { TwilioWebhookSender, twilioSid } from '../../../tests/fakes/twilio/index.js';
import { scopeRunner } from '../../src/db/tenant-scope.js';
import { createApp } from '../../src/http/app.js';
import { createLogger } from '../../src/logger.js';
import type { ProviderStatusUpdate } from '../../src/modules/messages/apply-provider-status.js';
import type { InboundMessage } from '../../src/modules/messages/receive-inbound.js';
import { saveTwilioCredentials } from '../../src/modules/provider-credentials/save-twilio-credentials.js';
import { twilioWebhookRouter } from '../../src/modules/twilio/webhook-routes.js';
import type { DomainEvent, EventBus } from '../../src/ports/events.js';
import { createAgencyWorld, superuserSequelize, type WorldAgency } from '../support/accounts-world.js';
import { memberPrincipal } from '../support/test-api.js';
import { freshTwilioSid, freshUsNumber } from '../support/telephony-world.js';
import { testDatabase } from '../support/integration-hooks.js';
import { createSequelize } from '../../src/db/sequelize.js';

const PUBLIC_URL = 'https://switchboard.test';

/** The webhook router on a real port with the real database; the domain use cases and the event bus are recording fakes. */
describe('Twilio webhooks (signature, tenant routing, call log and events)', () => {
  let db: Sequelize;
  let appDb: Sequelize;
  let server: Server;
  let baseUrl: string;
  let world: WorldAgency;
  const encryptionKey = randomBytes(32);
  const inbound: InboundMessage[] = [];
  const statuses: ProviderStatusUpdate[] = [];
  const events: DomainEvent[] = [];
  const eventBus: EventBus = {
    async publish(event) {
      const full = { ...event, id: `e${events.length}`, occurredAt: new Date().toISOString() } as DomainEvent;
      events.push(full);
      return full;
    },
  };
  let account: { sid: string; authToken: string; number: string };
  let hooks: TwilioWebhookSender;

  async function connectTwilio(tenantIndex: 0 | 1, extra: { missedCallMaxSeconds?: number } = {}) {
    const created = { sid: freshTwilioSid(), authToken: randomBytes(16).toString('hex'), number: freshUsNumber() };
    const tenant = world.tenants[tenantIndex];
    await saveTwilioCredentials({ runInScope: scopeRunner(appDb), encryptionKey }, {
      actor: { principal: memberPrincipal(world.id, tenant.users.tenant_admin), requestId: null, ip: null },
      accountSid: created.sid, authToken: created.authToken, phoneNumbers: [created.number], ...extra,
    });
    return created;
  }

  const callLogs = async (sid: string) =>
    (await db.query(`SELECT * FROM call_logs WHERE provider_call_id = :sid`, { replacements: { sid } }))[0] as Record<string, unknown>[];

  before(async () => {
    db = superuserSequelize();
    appDb = createSequelize(testDatabase().appUrl, createLogger({ logLevel: 'silent' }), { poolMax: 5 });
    world = await createAgencyWorld(db);
    const router = twilioWebhookRouter({
      runInScope: scopeRunner(appDb), encryptionKey, publicUrl: PUBLIC_URL, events: eventBus, missedCallMaxSeconds: 10,
      acceptInbound: async (message) => void inbound.push(message),
      applyProviderStatus: async (update) => void statuses.push(update),
    });
    const app = createApp({ logger: createLogger({ logLevel: 'silent' }), routers: [router] });
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    account = await connectTwilio(0);
    hooks = new TwilioWebhookSender({ publicUrl: PUBLIC_URL, deliverTo: baseUrl, accountSid: account.sid, authToken: account.authToken });
  });
  beforeEach(() => {
    inbound.length = 0;
    statuses.length = 0;
    events.length = 0;
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    await appDb.close();
    await db.close();
  });

  describe('signature', () => {
    it('when Twilio signs an inbound SMS for PUBLIC_URL and it reaches us on another host (the proxy), then it is accepted with empty TwiML', async () => {
      const hook = hooks.inboundSmsWebhook({ from: '+14155550111', to: account.number, body: 'Do you have a table at 8?' });
      const res = await hooks.post(hook);
      expect(res.status).to.equal(200);
      expect(res.body).to.contain('<Response/>');
      expect(inbound).to.have.length(1);
      expect(inbound[0]).to.include({ tenantId: world.tenants[0].id, agencyId: world.id, channel: 'sms', from: '+14155550111', to: account.number, provider: 'twilio', body: 'Do you have a table at 8?' });
      expect(inbound[0]!.providerMessageId).to.equal(hook.params.MessageSid);
    });

    it('when the signature is missing, then 403 and nothing is passed on', async () => {
      const res = await hooks.post(hooks.inboundSmsWebhook({ from: '+14155550111', to: account.number, body: 'hi' }), { signature: null });
      expect(res.status).to.equal(403);
      expect(inbound).to.have.length(0);
    });

    it('when a parameter was changed after signing, then 403 and nothing is passed on', async () => {
      const hook = hooks.inboundSmsWebhook({ from: '+14155550111', to: account.number, body: 'pay 10' });
      const res = await hooks.post(hook, { params: { ...hook.params, Body: 'pay 1000' } });
      expect(res.status).to.equal(403);
      expect(inbound).to.have.length(0);
    });

    it('when the signature was computed for the internal host instead of PUBLIC_URL, then 403', async () => {
      const internal = new TwilioWebhookSender({ publicUrl: baseUrl, deliverTo: baseUrl, accountSid: account.sid, authToken: account.authToken });
      const res = await internal.post(internal.inboundSmsWebhook({ from: '+14155550111', to: account.number, body: 'hi' }));
      expect(res.status).to.equal(403);
    });

    it('when signed with another auth token, or for a number nobody connected, then 403', async () => {
      const forger = new TwilioWebhookSender({ publicUrl: PUBLIC_URL, deliverTo: baseUrl, accountSid: account.sid, authToken: 'not-the-token' });
      expect((await forger.post(forger.inboundSmsWebhook({ from: '+14155550111', to: account.number, body: 'hi' }))).status).to.equal(403);
      expect((await hooks.post(hooks.inboundSmsWebhook({ from: '+14155550111', to: '+19995550000', body: 'hi' }))).status).to.equal(403);
      expect(inbound).to.have.length(0);
    });

    it('when the voice status signature is tampered with, then 403 and no call log is written', async () => {
      const hook = hooks.callStatusWebhook({ from: '+14155550112', to: account.number, status: 'no-answer', durationSeconds: 0 });
      expect((await hooks.post(hook, { signature: `${hook.signature.slice(0, -2)}xx` })).status).to.equal(403);
      expect(await callLogs(hook.params.CallSid!)).to.have.length(0);
      expect(events).to.have.length(0);
    });
  });

  describe('SMS status', () => {
    it('when Twilio reports delivery, then the domain gets the status, our message id and the tenant', async () => {
      const mid = '3f1c0a43-6a2b-4d0e-9a57-1f4c7c1a2b3c';
      const res = await hooks.post(hooks.smsStatusWebhook({ messageSid: twilioSid('SM'), from: account.number, to: '+14155550113', status: 'undelivered', errorCode: 30005, mid }));
      expect(res.status).to.equal(200);
      expect(statuses).to.have.length(1);
      expect(statuses[0]).to.include({ tenantId: world.tenants[0].id, provider: 'twilio', messageId: mid, status: 'undelivered', errorCode: '30005' });
    });

    it('when Twilio reports an intermediate status (queued, sending), then nothing is passed on', async () => {
      await hooks.post(hooks.smsStatusWebhook({ messageSid: twilioSid('SM'), from: account.number, to: '+14155550113', status: 'sending' }));
      expect(statuses).to.have.length(0);
    });
  });

  describe('voice status: call log and events', () => {
    it('when the same final status webhook arrives 3 times (even at once), then one call log and one event', async () => {
      const hook = hooks.callStatusWebhook({ from: '+14155550114', to: account.number, status: 'no-answer', durationSeconds: 0 });
      const results = await Promise.all([hooks.post(hook), hooks.post(hook), hooks.post(hook)]);
      expect(results.map((r) => r.status)).to.deep.equal([200, 200, 200]);
      const rows = await callLogs(hook.params.CallSid!);
      expect(rows).to.have.length(1);
      expect(rows[0]).to.include({ direction: 'inbound', from_number: '+14155550114', to_number: account.number, status: 'no-answer', outcome: 'missed' });
      expect(events.map((e) => e.type)).to.deep.equal(['call.missed']);
      expect(events[0]!.data).to.include({ callId: rows[0]!.id, providerCallId: hook.params.CallSid, from: '+14155550114', direction: 'inbound' });
    });

    it('when progress arrives ringing → completed → ringing, then the log ends completed with one call.completed', async () => {
      const callSid = twilioSid('CA');
      const base = { callSid, from: '+14155550115', to: account.number };
      await hooks.post(hooks.callStatusWebhook({ ...base, status: 'ringing' }));
      expect(events).to.have.length(0);
      await hooks.post(hooks.callStatusWebhook({ ...base, status: 'completed', durationSeconds: 95 }));
      await hooks.post(hooks.callStatusWebhook({ ...base, status: 'ringing' }));
      const [row] = await callLogs(callSid);
      expect(row).to.include({ status: 'completed', duration_seconds: 95, outcome: 'completed' });
      expect(row!.ended_at).to.not.equal(null);
      expect(events.map((e) => e.type)).to.deep.equal(['call.completed']);
    });

    const table: [string, 'no-answer' | 'busy' | 'failed' | 'completed', number, string][] = [
      ['no answer', 'no-answer', 0, 'call.missed'],
      ['busy', 'busy', 0, 'call.missed'],
      ['failed', 'failed', 0, 'call.missed'],
      ['a 4 s call (hang-up)', 'completed', 4, 'call.missed'],
      ['a 45 s conversation', 'completed', 45, 'call.completed'],
    ];
    for (const [label, status, durationSeconds, expected] of table) {
      it(`when an inbound call ends with ${label}, then ${expected} is published`, async () => {
        await hooks.post(hooks.callStatusWebhook({ from: '+14155550116', to: account.number, status, durationSeconds }));
        expect(events.map((e) => e.type)).to.deep.equal([expected]);
      });
    }

    it("when the tenant set a 60 s threshold, then a 45 s call is missed for that tenant", async () => {
      const other = await connectTwilio(1, { missedCallMaxSeconds: 60 });
      const sender = new TwilioWebhookSender({ publicUrl: PUBLIC_URL, deliverTo: baseUrl, accountSid: other.sid, authToken: other.authToken });
      await sender.post(sender.callStatusWebhook({ from: '+14155550117', to: other.number, status: 'completed', durationSeconds: 45 }));
      expect(events.map((e) => [e.type, e.tenantId])).to.deep.equal([['call.missed', world.tenants[1].id]]);
    });
  });
});
