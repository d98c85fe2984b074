import { createHmac, randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import type { Sequelize } from 'sequelize';
import Stripe from 'stripe';
import request from 'supertest';
import { TwilioWebhookSender } from '../../../tests/fakes/twilio/index.js';
import { scopeRunner } from '../../src/db/tenant-scope.js';
import { createLogger } from '../../src/logger.js';
import { outboxEventBus } from '../../src/modules/events/publish-event.js';
import { processQueuedInbound } from '../../src/modules/inbound/process-queued-inbound.js';
import { enqueueOutbox } from '../../src/modules/outbox/enqueue-outbox.js';
import { DEFAULT_RETRY_POLICY } from '../../src/modules/outbox/retry-policy.js';
import { saveTwilioCredentials } from '../../src/modules/provider-credentials/save-twilio-credentials.js';
import { createAgencyWorld, superuserSequelize, type WorldAgency } from '../support/accounts-world.js';
import { providerFakes } from '../support/provider-fakes.js';
import { freshTwilioSid, freshUsNumber, whatsappCloudBody } from '../support/telephony-world.js';
import { memberPrincipal, TestApi } from '../support/test-api.js';

/** What PostgreSQL cannot store, as providers may send it: NUL and unpaired UTF-16 surrogates. */
const NUL_TEXT = 'Hello\u0000there';
const SURROGATE_TEXT = 'Broken \ud800 emoji \udc00!';

/**
 * Signed provider deliveries holding text PostgreSQL refuses: acknowledged (never 5xx), stored with U+FFFD
 * in its place and processed by the worker's pass (never parked). docs/messaging-contract.md has the rule.
 */
describe('provider payloads with text PostgreSQL cannot store', () => {
  let db: Sequelize;
  let api: TestApi;
  let server: Server;
  let world: WorldAgency;
  let tenantId: string;
  let admin: Record<string, string>;

  const processInbound = () =>
    processQueuedInbound({
      sequelize: api.container.sequelize, logger: createLogger({ logLevel: 'silent' }), retry: DEFAULT_RETRY_POLICY,
      messaging: { runInScope: scopeRunner(api.container.sequelize), events: outboxEventBus(api.container.sequelize), enqueueOutbox },
    });
  const storedBodies = async (channel: string) =>
    ((await db.query(`SELECT body FROM messages WHERE tenant_id = :tenantId AND direction = 'inbound' AND channel = :channel ORDER BY created_at`, {
      replacements: { tenantId, channel },
    })) as [{ body: string }[], unknown])[0].map((row) => row.body);
  const parkedOrWaiting = async () =>
    ((await db.query(`SELECT provider, last_error FROM inbound_queue WHERE tenant_id = :tenantId`, { replacements: { tenantId } })) as [unknown[], unknown])[0];

  before(async () => {
    db = superuserSequelize();
    api = TestApi.create();
    world = await createAgencyWorld(db);
    tenantId = world.tenants[0].id;
    admin = api.signIn(memberPrincipal(world.id, world.tenants[0].users.tenant_admin));
    server = api.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    await api.close();
    await db.close();
  });

  it('when a signed Twilio SMS body holds NUL, then it is acknowledged, stored with U+FFFD and processed', async () => {
    const account = { sid: freshTwilioSid(), authToken: randomBytes(16).toString('hex'), number: freshUsNumber() };
    await saveTwilioCredentials({ runInScope: scopeRunner(api.container.sequelize), encryptionKey: api.container.config.secrets.encryptionKey }, {
      actor: { principal: memberPrincipal(world.id, world.tenants[0].users.tenant_admin), requestId: null, ip: null },
      accountSid: account.sid, authToken: account.authToken, phoneNumbers: [account.number],
    });
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const hooks = new TwilioWebhookSender({ publicUrl: api.container.config.publicUrl, deliverTo: baseUrl, accountSid: account.sid, authToken: account.authToken });
    const res = await hooks.post(hooks.inboundSmsWebhook({ from: freshUsNumber(), to: account.number, body: NUL_TEXT }));
    expect(res.status, res.body).to.equal(200);
    // A forged request whose unsigned To holds NUL finds no number: 403, not a database error.
    const forged = hooks.inboundSmsWebhook({ from: freshUsNumber(), to: '+1415\u00005550000', body: 'x' });
    expect((await hooks.post(forged)).status).to.equal(403);
    await processInbound();
    expect(await storedBodies('sms')).to.deep.equal(['Hello\ufffdthere']);
    const left = await parkedOrWaiting();
    expect(left, JSON.stringify(left)).to.deep.equal([]);
  });

  it('when a signed WhatsApp Cloud delivery holds NUL and lone surrogates, then it is acknowledged, stored with U+FFFD and processed', async () => {
    const cloud = whatsappCloudBody();
    await request(api.app).put('/api/v1/tenant/providers/whatsapp-cloud').set(admin).send(cloud).expect(200);
    const from = freshUsNumber().replace(/^\+/, '');
    const message = (id: string, text: string) => ({ from, id, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: text } });
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [{ id: 'WABA_ID', changes: [{ field: 'messages', value: {
        messaging_product: 'whatsapp', metadata: { display_phone_number: String(cloud.displayNumber).replace(/^\+/, ''), phone_number_id: cloud.phoneNumberId },
        contacts: [{ wa_id: from, profile: { name: 'Ana\u0000' } }],
        messages: [message(`wamid.${randomBytes(8).toString('hex')}`, NUL_TEXT), message(`wamid.${randomBytes(8).toString('hex')}`, SURROGATE_TEXT)],
      } }] }],
    });
    const signature = `sha256=${createHmac('sha256', String(cloud.appSecret)).update(body).digest('hex')}`;
    const res = await request(api.app).post(`/webhooks/whatsapp-cloud/${world.id}/${tenantId}`)
      .set('content-type', 'application/json').set('x-hub-signature-256', signature).send(body);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    await processInbound();
    expect(await storedBodies('whatsapp')).to.have.members(['Hello\ufffdthere', 'Broken \ufffd emoji \ufffd!']);
    const left = await parkedOrWaiting();
    expect(left, JSON.stringify(left)).to.deep.equal([]);
  });

  it('when a Telegram update (with its secret token) holds NUL and lone surrogates, then it is acknowledged, stored with U+FFFD and processed', async () => {
    const telegram = providerFakes().telegram;
    const bot = telegram.addBot();
    await request(api.app).put('/api/v1/tenant/providers/telegram').set(admin).send({ botToken: bot.token }).expect(200);
    const chatId = 700_000_000 + Math.floor(Math.random() * 1e8);
    for (const text of [NUL_TEXT, SURROGATE_TEXT]) {
      const update = telegram.userMessage(bot, { chatId, text, firstName: 'Ana\ud800' });
      const res = await request(api.app).post(`/webhooks/telegram/${world.id}/${tenantId}`)
        .set('content-type', 'application/json').set('x-telegram-bot-api-secret-token', bot.webhook!.secretToken!).send(JSON.stringify(update));
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
    }
    await processInbound();
    expect(await storedBodies('telegram')).to.have.members(['Hello\ufffdthere', 'Broken \ufffd emoji \ufffd!']);
    const left = await parkedOrWaiting();
    expect(left, JSON.stringify(left)).to.deep.equal([]);
  });

  it('when a signed Stripe event holds NUL and lone surrogates, then it is acknowledged (never 5xx)', async () => {
    const secret = 'whsec_unstorable0000000000000000000001';
    await request(api.app).put('/api/v1/tenant/providers/stripe').set(admin).send({ secretKey: providerFakes().stripe.addAccount().secretKey, webhookSecret: secret }).expect(200);
    const payload = JSON.stringify({
      id: `evt_unstorable_${Date.now()}`, object: 'event', type: 'checkout.session.completed', created: Math.floor(Date.now() / 1000),
      data: { object: { id: 'cs_test_unstorable', object: 'checkout.session', payment_link: 'plink_unknown\u0000', amount_total: 100, currency: 'usd', metadata: { note: SURROGATE_TEXT } } },
    });
    const res = await request(api.app).post(`/webhooks/stripe/${world.id}/${tenantId}`).set('content-type', 'application/json')
      .set('stripe-signature', new Stripe('sk_test_signing_only').webhooks.generateTestHeaderString({ payload, secret })).send(payload);
    expect(res.status, JSON.stringify(res.body)).to.be.below(500);
  });
});
