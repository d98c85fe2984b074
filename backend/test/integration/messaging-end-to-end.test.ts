import { expect } from 'chai';
import { randomInt, randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { twilioSid, TwilioWebhookSender, type TwilioAccount } from '../../../tests/fakes/twilio/index.js';
import type { CloudNumber } from '../../../tests/fakes/whatsapp-cloud/index.js';
import type { FakeBot } from '../../../tests/fakes/telegram/index.js';
import { providerFakes } from '../support/provider-fakes.js';
import { verifyEventSignature } from '../../src/modules/events/event-signature.js';
import { Browser } from '../support/browser.js';
import { createAgency, createPerson, createTenant } from '../support/identity-world.js';
import { MessagingStack } from '../support/messaging-stack.js';
import { eventually } from '../support/pipeline-world.js';
import { freshUsNumber } from '../support/telephony-world.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

type Message = { id: string; status: string; from: string | null; to: string; providerMessageId: string | null; attempts: number; provider?: string | null;
  policy: { decision: string; reason: { code: string }; until: string | null } | null; error: { code: string | null; message: string | null } | null };
type MessageDetail = Message & { history: { status: string; errorCode: string | null }[] };

const hhmm = (hour: number) => `${String((hour + 24) % 24).padStart(2, '0')}:00`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let phoneCounter = randomInt(0, 9000);
/** A US number libphonenumber accepts (555 exchange), unique within this run's tenant. */
const nextPhone = () => `+1415555${String(phoneCounter++ % 10_000).padStart(4, '0')}`;

/**
 * Issue 4 end to end, through HTTP only: a tenant admin signed in with a password (session cookie +
 * CSRF), the real worker process sending with the official Twilio SDK to the fake Twilio, signed
 * status callbacks and inbound webhooks into the API, and event webhooks out of the worker.
 */
describe('messaging end to end: HTTP API, real worker process, fake Twilio', function () {
  this.timeout(60_000);
  let stack: MessagingStack;
  let admin: Browser;
  let account: TwilioAccount;
  let ourNumber: string;
  let twilio: TwilioWebhookSender;
  let window: { start: string; end: string };

  const ok = (res: Response, status: number) => {
    expect(res.status, JSON.stringify(res.body)).to.equal(status);
    return res.body;
  };
  const getMessage = async (id: string): Promise<MessageDetail> => ok(await admin.get(`/api/v1/messages/${id}`), 200);
  const messageReaches = (id: string, statuses: string[]) =>
    eventually(async () => {
      const message = await getMessage(id);
      return statuses.includes(message.status) ? message : undefined;
    }, 20_000, 100);
  /** A contact (time zone set by hand) who opted in to SMS through the consent API. */
  const optedInContact = async (timeZone = 'UTC'): Promise<{ id: string; phone: string }> => {
    const contact = ok(await admin.post('/api/v1/contacts', { phone: nextPhone(), name: 'E2E contact', timeZone }), 201);
    ok(await admin.post(`/api/v1/contacts/${contact.id}/consent`, {
      channel: 'sms', kind: 'opt_in', source: 'form', wording: 'Text me about my bookings', evidence: { formId: 'booking' },
    }), 201);
    return contact;
  };
  const sendSms = (contactId: string, body: string, idempotencyKey?: string) =>
    admin.post('/api/v1/messages', { contactId, channel: 'sms', body }, idempotencyKey ? { 'idempotency-key': idempotencyKey } : {});
  const contactsMatching = async (phone: string): Promise<{ id: string }[]> =>
    ok(await admin.send('get', '/api/v1/contacts', { query: { q: phone } }), 200).contacts;

  before(async function () {
    this.timeout(120_000);
    stack = await MessagingStack.start();
    const agencyId = await createAgency(stack.db);
    const tenantId = await createTenant(stack.db, agencyId);
    const person = await createPerson(stack.db, [{ agencyId, tenantId, role: 'tenant_admin' }]);
    admin = new Browser(stack.apiUrl);
    ok(await admin.signIn(person.email, person.password), 200);

    ourNumber = freshUsNumber();
    account = stack.fake.addAccount({ numbers: [ourNumber] });
    ok(await admin.send('put', '/api/v1/tenant/providers/twilio', { body: { accountSid: account.sid, authToken: account.authToken, phoneNumbers: [ourNumber] } }), 200);
    twilio = new TwilioWebhookSender({ publicUrl: stack.apiUrl, deliverTo: stack.apiUrl, accountSid: account.sid, authToken: account.authToken });

    // A sending window around "now" for contacts in UTC (and outside it for contacts in Tokyo, UTC+9).
    const hour = new Date().getUTCHours();
    window = { start: hhmm(hour - 1), end: hhmm(hour + 2) };
    const settings = ok(await admin.get('/api/v1/messaging-settings'), 200);
    ok(await admin.send('put', '/api/v1/messaging-settings', { body: { ...settings, sendingWindow: window, optInRequired: { ...settings.optInRequired, sms: true } } }), 200);
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.log(`      worker log (tail):\n${stack.worker.output(0).slice(-40).join('\n')}`);
  });
  after(async () => {
    await stack?.close();
  });

  describe('outbound SMS', () => {
    it('when an admin sends to an opted-in contact inside the window, then it goes queued -> sending -> sent -> delivered and Twilio got it once', async () => {
      const contact = await optedInContact();
      const queued: Message = ok(await sendSms(contact.id, 'Your table for two is booked for 7pm'), 201);
      expect(queued).to.deep.include({ status: 'queued', to: contact.phone });
      expect(queued.policy).to.deep.include({ decision: 'allow' });

      const delivered = await messageReaches(queued.id, ['delivered', 'failed', 'dead']);
      expect(delivered).to.deep.include({ status: 'delivered', from: ourNumber, attempts: 1 });
      expect(delivered.history.map((h) => h.status)).to.deep.equal(['queued', 'sending', 'sent', 'delivered']);
      expect(stack.fake.countSends({ mid: queued.id })).to.equal(1);
      const accepted = stack.fake.messages.find((m) => m.mid === queued.id)!;
      expect(accepted).to.deep.include({ to: contact.phone, from: ourNumber, body: 'Your table for two is booked for 7pm', accountSid: account.sid });
      expect(delivered.providerMessageId).to.equal(accepted.sid);
      // Both status callbacks were signed by the fake and accepted by the API.
      const callbacks = stack.fake.callbacks.deliveries.filter((d) => d.params.MessageSid === accepted.sid);
      expect(callbacks.map((d) => [d.params.MessageStatus, d.status])).to.deep.equal([['sent', 200], ['delivered', 200]]);
    });

    it('when the same POST is repeated with the same Idempotency-Key, then it is the same message and Twilio still got it once', async () => {
      const contact = await optedInContact();
      const key = `e2e-${randomUUID()}`;
      const first: Message = ok(await sendSms(contact.id, 'Reminder: bring your voucher', key), 201);
      const again: Message = ok(await sendSms(contact.id, 'Reminder: bring your voucher', key), 200);
      expect(again.id).to.equal(first.id);
      await messageReaches(first.id, ['delivered']);
      const late: Message = ok(await sendSms(contact.id, 'Reminder: bring your voucher', key), 200);
      expect(late).to.deep.include({ id: first.id, status: 'delivered' });
      await sleep(500);
      expect(stack.fake.countSends({ to: contact.phone })).to.equal(1);
    });

    it('when the contact opted out, then the message is stored as denied (OPTED_OUT) and nothing reaches Twilio', async () => {
      const contact = await optedInContact();
      ok(await admin.post(`/api/v1/contacts/${contact.id}/consent`, { channel: 'sms', kind: 'opt_out', source: 'verbal' }), 201);
      const denied: Message = ok(await sendSms(contact.id, 'Weekend special: 2 for 1'), 201);
      expect(denied.status).to.equal('denied');
      expect(denied.policy!.decision).to.equal('deny');
      expect(denied.policy!.reason.code).to.equal('OPTED_OUT');
      await sleep(1_000);
      expect((await getMessage(denied.id)).status).to.equal('denied');
      expect(stack.fake.countSends({ to: contact.phone })).to.equal(0);
    });

    it('when it is outside the recipient-local window, then the message is deferred until the window opens and nothing is sent now', async () => {
      const contact = await optedInContact('Asia/Tokyo');
      const deferred: Message = ok(await sendSms(contact.id, 'Good morning! Your order shipped'), 201);
      expect(deferred.status).to.equal('deferred');
      expect(deferred.policy).to.deep.include({ decision: 'defer' });
      expect(deferred.policy!.reason.code).to.equal('OUTSIDE_SENDING_WINDOW');
      const until = new Date(deferred.policy!.until!);
      expect(until.getTime()).to.be.greaterThan(Date.now()).and.lessThan(Date.now() + 24 * 3600_000);
      const localOpening = until.toLocaleTimeString('en-GB', { timeZone: 'Asia/Tokyo', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
      expect(localOpening).to.equal(window.start);
      await sleep(1_000);
      expect((await getMessage(deferred.id)).status).to.equal('deferred');
      expect(stack.fake.countSends({ to: contact.phone })).to.equal(0);
    });

    it('when Twilio refuses the number (21211), then the message is failed with that error code, after one attempt', async () => {
      const contact = await optedInContact();
      stack.fake.rejectNumber(contact.phone, 21211);
      const queued: Message = ok(await sendSms(contact.id, 'Your code is 4242'), 201);
      const failed = await messageReaches(queued.id, ['failed', 'dead', 'delivered']);
      expect(failed).to.deep.include({ status: 'failed', attempts: 1 });
      expect(failed.error!.code).to.equal('21211');
      expect(failed.error!.message).to.contain('is not a valid phone number');
      expect(failed.history.map((h) => h.status)).to.deep.equal(['queued', 'sending', 'failed']);
      expect(stack.fake.countSends({ to: contact.phone })).to.equal(0);
    });

    it('when Twilio answers 429 with Retry-After, then the worker waits that long and the message is sent exactly once', async () => {
      const contact = await optedInContact();
      stack.fake.faults.rateLimitNext(1, 1);
      const queued: Message = ok(await sendSms(contact.id, 'Your table is almost ready'), 201);
      const delivered = await messageReaches(queued.id, ['delivered', 'failed', 'dead']);
      expect(delivered).to.deep.include({ status: 'delivered', attempts: 2 });
      expect(delivered.history.map((h) => h.status)).to.deep.equal(['queued', 'sending', 'queued', 'sending', 'sent', 'delivered']);
      expect(stack.fake.countSends({ to: contact.phone })).to.equal(1);
      const tries = stack.fake.requests.filter((r) => r.method === 'POST' && r.form.To === contact.phone);
      expect(tries.map((r) => r.status)).to.deep.equal([429, 201]);
      expect(Date.parse(tries[1]!.at) - Date.parse(tries[0]!.at)).to.be.at.least(950);
    });
  });

  describe('inbound SMS', () => {
    it('when Twilio delivers a signed inbound SMS three times (its retries), then it is stored once and shown in its conversation', async () => {
      const phone = nextPhone();
      const webhook = twilio.inboundSmsWebhook({ from: phone, to: ourNumber, body: 'Hi! Do you have a table tonight?' });
      for (let i = 0; i < 3; i += 1) expect((await twilio.post(webhook)).status).to.equal(200);
      // Acknowledged at once, processed by the worker: wait for it, then make sure nothing else follows.
      const [contact] = await eventually(async () => ((await contactsMatching(phone)).length > 0 ? contactsMatching(phone) : undefined), 20_000, 50);
      await sleep(500);
      const { conversations } = ok(await admin.send('get', '/api/v1/conversations', { query: { contactId: contact!.id } }), 200);
      expect(conversations).to.have.length(1);
      const { messages } = ok(await admin.get(`/api/v1/conversations/${conversations[0].id}/messages`), 200);
      expect(messages).to.have.length(1);
      expect(messages[0]).to.deep.include({
        direction: 'inbound', status: 'received', from: phone, to: ourNumber, body: 'Hi! Do you have a table tonight?',
        provider: 'twilio', providerMessageId: webhook.params.MessageSid,
      });
    });

    it('when an opted-in contact texts " STOP ", then one confirmation reaches Twilio, the contact is opted out and later sends are denied', async () => {
      const contact = await optedInContact();
      expect((await twilio.post(twilio.inboundSmsWebhook({ from: contact.phone, to: ourNumber, body: ' STOP ' }))).status).to.equal(200);
      await eventually(async () => (stack.fake.countSends({ to: contact.phone }) > 0 ? true : undefined), 20_000, 100);
      // A second STOP (a new message) changes nothing and gets silence.
      expect((await twilio.post(twilio.inboundSmsWebhook({ from: contact.phone, to: ourNumber, body: 'stop' }))).status).to.equal(200);
      await sleep(1_000);
      expect(stack.fake.countSends({ to: contact.phone })).to.equal(1);
      const confirmation = stack.fake.messages.find((m) => m.to === contact.phone)!;
      expect(confirmation.from).to.equal(ourNumber);
      expect(confirmation.body.toLowerCase()).to.contain('unsubscribed');

      const detail = ok(await admin.get(`/api/v1/contacts/${contact.id}`), 200);
      expect(detail.consent.find((c: { channel: string }) => c.channel === 'sms')).to.deep.include({ state: 'opted_out', source: 'keyword' });
      const after: Message = ok(await sendSms(contact.id, 'We miss you! 10% off'), 201);
      expect(after.status).to.equal('denied');
      expect(after.policy!.reason.code).to.equal('OPTED_OUT');
    });

    it('when an inbound webhook is unsigned or tampered with, then 403 and nothing is stored', async () => {
      const phone = nextPhone();
      const webhook = twilio.inboundSmsWebhook({ from: phone, to: ourNumber, body: 'Book me for Friday' });
      expect((await twilio.post(webhook, { signature: null })).status).to.equal(403);
      expect((await twilio.post(webhook, { params: { ...webhook.params, Body: 'STOP' } })).status).to.equal(403);
      expect((await twilio.post(webhook, { signature: twilio.inboundSmsWebhook({ from: phone, to: ourNumber, body: 'x' }).signature })).status).to.equal(403);
      expect(await contactsMatching(phone)).to.deep.equal([]);
    });
  });

  describe('voice', () => {
    let receiver: WebhookReceiver;
    let secret: string;
    before(async () => {
      receiver = await WebhookReceiver.start();
      const created = ok(await admin.post('/api/v1/event-subscriptions', { url: receiver.url('/n8n/calls'), eventTypes: ['call.missed'] }), 201);
      secret = created.secret;
    });
    after(() => receiver.close());

    it('when Twilio reports an inbound call that was not answered, then the call log says missed and one signed call.missed reaches the subscriber', async () => {
      const caller = nextPhone();
      const callSid = twilioSid('CA');
      const update = { callSid, from: caller, to: ourNumber, direction: 'inbound' as const };
      for (const status of ['ringing', 'no-answer', 'no-answer'] as const) {
        expect((await twilio.post(twilio.callStatusWebhook({ ...update, status, durationSeconds: status === 'ringing' ? undefined : 0 }))).status).to.equal(200);
      }
      const { calls } = ok(await admin.send('get', '/api/v1/calls', { query: { outcome: 'missed' } }), 200);
      const call = calls.find((c: { providerCallId: string }) => c.providerCallId === callSid);
      expect(call).to.deep.include({ direction: 'inbound', from: caller, to: ourNumber, status: 'no-answer', outcome: 'missed' });

      const [delivery] = await eventually(async () => (receiver.at('/n8n/calls').length > 0 ? receiver.at('/n8n/calls') : undefined), 20_000, 100);
      expect(verifyEventSignature(secret, delivery!.headers['x-switchboard-signature'] as string, delivery!.rawBody)).to.equal(true);
      const event = JSON.parse(delivery!.rawBody);
      expect(event).to.deep.include({ type: 'call.missed' });
      expect(event.data).to.deep.include({ callId: call.id, providerCallId: callSid, from: caller, to: ourNumber });
      expect(delivery!.headers['x-switchboard-event-id']).to.equal(event.id);
      await sleep(1_000);
      expect(receiver.at('/n8n/calls')).to.have.length(1);
    });

    it('when an admin places a call, then Twilio gets TwiML speaking the text and the signed progress callbacks complete the call log', async () => {
      const to = nextPhone();
      const placed = ok(await admin.post('/api/v1/calls', { to, message: 'Your table is ready & waiting' }), 201);
      expect(placed).to.deep.include({ direction: 'outbound', from: ourNumber, to });
      const recorded = stack.fake.calls.find((c) => c.sid === placed.providerCallId)!;
      expect(recorded.twiml).to.contain('<Say').and.contain('Your table is ready &amp; waiting');
      const completed = await eventually(async () => {
        const call = ok(await admin.get(`/api/v1/calls/${placed.id}`), 200);
        return call.status === 'completed' ? call : undefined;
      }, 20_000, 100);
      expect(completed).to.deep.include({ outcome: 'completed', durationSeconds: 30 });
    });
  });

  describe('WhatsApp Cloud API', () => {
    let number: CloudNumber;
    const webhookPath = () => `/webhooks/whatsapp-cloud/${number.webhookUrl.split('/webhooks/whatsapp-cloud/')[1]}`;
    const inboundFrom = async (phone: string) =>
      eventually(async () => {
        const [contact] = await contactsMatching(phone);
        if (!contact) return undefined;
        const { conversations } = ok(await admin.send('get', '/api/v1/conversations', { query: { contactId: contact.id } }), 200);
        const whatsapp = conversations.find((c: { channel: string }) => c.channel === 'whatsapp');
        return whatsapp ? { contact, conversation: whatsapp } : undefined;
      }, 20_000, 100);

    before(async () => {
      const displayNumber = freshUsNumber();
      const phoneNumberId = String(randomInt(100_000_000, 999_999_999));
      const saved = ok(await admin.send('put', '/api/v1/tenant/providers/whatsapp-cloud', {
        body: { accessToken: `EAAG${randomUUID().replace(/-/g, '')}`, appSecret: randomUUID().replace(/-/g, ''), verifyToken: 'verify-me-please', phoneNumberId, displayNumber },
      }), 200);
      const secrets = (await stack.db.query(`SELECT 1 FROM provider_credentials WHERE provider = 'whatsapp_cloud' AND secret_ciphertext LIKE '%verify-me%'`))[0];
      expect(secrets, 'secrets are encrypted at rest').to.have.length(0);
      const stored = await admin.send('get', '/api/v1/tenant/providers/whatsapp-cloud');
      expect(JSON.stringify(stored.body)).not.to.contain('verify-me-please');
      // The fake must use the same secrets as the tenant gave us: re-read them from the PUT we just made.
      number = stack.whatsapp.addNumber({ phoneNumberId, displayNumber, webhookUrl: `${stack.apiUrl}${saved.webhookPath}` });
      ok(await admin.send('put', '/api/v1/tenant/providers/whatsapp-cloud', {
        body: { accessToken: number.accessToken, appSecret: number.appSecret, verifyToken: 'verify-me-please', phoneNumberId, displayNumber },
      }), 200);
      // Connecting a Cloud API number makes it the tenant's WhatsApp transport (the default is a linked device).
      expect(ok(await admin.get('/api/v1/messaging-settings'), 200).whatsappTransport).to.equal('cloud');
    });

    it("when Meta verifies the webhook, then the challenge is echoed for the tenant's verify token and refused otherwise", async () => {
      const good = await fetch(`${stack.apiUrl}${webhookPath()}?hub.mode=subscribe&hub.verify_token=verify-me-please&hub.challenge=1158201444`);
      expect([good.status, await good.text()]).to.deep.equal([200, '1158201444']);
      const bad = await fetch(`${stack.apiUrl}${webhookPath()}?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1`);
      expect(bad.status).to.equal(403);
    });

    it('when a customer writes (delivered three times), then one inbound message; our text reply reaches WhatsApp once and ends delivered', async () => {
      const phone = nextPhone();
      const id = `wamid.${randomUUID().replace(/-/g, '')}`;
      for (let i = 0; i < 3; i += 1) expect((await stack.whatsapp.deliverInbound(number.phoneNumberId, { from: phone, text: 'Hola, are you open today?', id })).status).to.equal(200);
      const { contact, conversation } = await inboundFrom(phone);
      await sleep(300);
      const { messages } = ok(await admin.get(`/api/v1/conversations/${conversation.id}/messages`), 200);
      expect(messages).to.have.length(1);
      expect(messages[0]).to.deep.include({ direction: 'inbound', channel: 'whatsapp', body: 'Hola, are you open today?', provider: 'whatsapp_cloud', providerMessageId: id });

      const reply: Message = ok(await admin.post('/api/v1/messages', { contactId: contact.id, channel: 'whatsapp', body: 'Yes, until 9pm!' }), 201);
      expect(reply.status).to.equal('queued');
      const delivered = await messageReaches(reply.id, ['delivered']);
      expect(delivered.provider).to.equal('whatsapp_cloud');
      expect(stack.whatsapp.sendsTo(phone).map((send) => send.body)).to.deep.equal(['Yes, until 9pm!']);
    });

    it('when a delivery is forged (wrong app secret) or unsigned, then 403 and nothing is stored', async () => {
      const phone = nextPhone();
      const forged = stack.whatsapp.signedDelivery(number, { messages: [{ from: phone.slice(1), id: 'wamid.forged', type: 'text', text: { body: 'STOP' } }] }, 'not-the-app-secret');
      const post = (signature?: string) => fetch(`${stack.apiUrl}${webhookPath()}`, {
        method: 'POST', headers: { 'content-type': 'application/json', ...(signature && { 'x-hub-signature-256': signature }) }, body: forged.body,
      });
      expect((await post(forged.signature)).status).to.equal(403);
      expect((await post()).status).to.equal(403);
      await sleep(500);
      expect(await contactsMatching(phone)).to.deep.equal([]);
    });

    it('when we text a contact who never wrote on WhatsApp, then it is denied (WHATSAPP_SESSION_CLOSED) and nothing reaches Meta; a template goes', async () => {
      const contact = ok(await admin.post('/api/v1/contacts', { phone: nextPhone(), name: 'Cold lead', timeZone: 'UTC' }), 201);
      ok(await admin.post(`/api/v1/contacts/${contact.id}/consent`, { channel: 'whatsapp', kind: 'opt_in', source: 'form', wording: 'WhatsApp me', evidence: { formId: 'wa' } }), 201);
      const text: Message = ok(await admin.post('/api/v1/messages', { contactId: contact.id, channel: 'whatsapp', body: 'Hi there' }), 201);
      expect(text.status).to.equal('denied');
      expect(text.policy!.reason.code).to.equal('WHATSAPP_SESSION_CLOSED');
      const template: Message = ok(await admin.post('/api/v1/messages', { contactId: contact.id, channel: 'whatsapp', template: { name: 'missed_call', language: 'en' } }), 201);
      await messageReaches(template.id, ['delivered']);
      expect(stack.whatsapp.sendsTo(contact.phone).map((send) => send.template ?? send.body)).to.deep.equal(['missed_call']);
    });

    it('when the number has no WhatsApp account, then Meta accepts the send and the failed status (131026) marks the message failed', async () => {
      const contact = ok(await admin.post('/api/v1/contacts', { phone: nextPhone(), name: 'No WhatsApp', timeZone: 'UTC' }), 201);
      ok(await admin.post(`/api/v1/contacts/${contact.id}/consent`, { channel: 'whatsapp', kind: 'opt_in', source: 'form', wording: 'WhatsApp me', evidence: { formId: 'wa' } }), 201);
      stack.whatsapp.withoutWhatsApp.add(contact.phone.slice(1));
      const sent: Message = ok(await admin.post('/api/v1/messages', { contactId: contact.id, channel: 'whatsapp', template: { name: 'missed_call' } }), 201);
      const failed = await messageReaches(sent.id, ['failed']);
      expect(failed.error?.code).to.equal('131026');
    });
  });

  describe('Telegram', () => {
    let bot: FakeBot;
    const telegram = () => providerFakes().telegram;
    let chatCounter = 700_000_000 + randomInt(1_000_000);
    const nextChat = () => (chatCounter += 1);
    const contactByChat = (chatId: number) =>
      eventually(async () => {
        const [rows] = (await stack.db.query(`SELECT id FROM contacts WHERE telegram_chat_id = :chat`, { replacements: { chat: String(chatId) } })) as [{ id: string }[], unknown];
        return rows[0];
      }, 20_000, 100);

    before(async () => {
      bot = telegram().addBot();
      const connected = ok(await admin.send('put', '/api/v1/tenant/providers/telegram', { body: { botToken: bot.token } }), 200);
      expect(connected).to.deep.include({ provider: 'telegram', botId: String(bot.id), username: bot.username, updates: 'webhook' });
      expect(JSON.stringify(connected)).not.to.contain(bot.token);
      expect(bot.webhook?.url).to.match(/\/webhooks\/telegram\/[0-9a-f-]{36}\/[0-9a-f-]{36}$/);
      expect(bot.webhook?.secretToken).to.have.length.greaterThan(20);
    });

    it('when a token is not a bot Telegram knows, then 400 on the token and nothing is stored', async () => {
      const res = await admin.send('put', '/api/v1/tenant/providers/telegram', { body: { botToken: '123456789:AAnotARealTokenButTheRightShape_abcdefghij' } });
      expect(res.status).to.equal(400);
      expect(res.body.error.details[0]).to.deep.include({ path: 'body.botToken' });
      expect(ok(await admin.get('/api/v1/tenant/providers/telegram'), 200).botId).to.equal(String(bot.id));
    });

    it('when a user writes (the update delivered three times), then one inbound message; our reply reaches the chat once', async () => {
      const chatId = nextChat();
      const update = telegram().userMessage(bot, { chatId, text: 'Do you deliver on Sundays?' });
      for (let i = 0; i < 3; i += 1) expect(await telegram().deliver(bot, update)).to.equal(200);
      const contact = await contactByChat(chatId);
      await sleep(300);
      const { conversations } = ok(await admin.send('get', '/api/v1/conversations', { query: { contactId: contact.id } }), 200);
      const { messages } = ok(await admin.get(`/api/v1/conversations/${conversations[0].id}/messages`), 200);
      expect(messages.map((m: { direction: string; body: string; channel: string }) => [m.direction, m.channel, m.body])).to.deep.equal([['inbound', 'telegram', 'Do you deliver on Sundays?']]);
      const reply: Message = ok(await admin.post('/api/v1/messages', { contactId: contact.id, channel: 'telegram', body: 'Yes, 10am to 4pm.' }), 201);
      await messageReaches(reply.id, ['sent']);
      expect(telegram().sentTo(chatId).map((m) => m.text)).to.deep.equal(['Yes, 10am to 4pm.']);
    });

    it('when an update comes with a wrong or missing secret token, then 403 and nothing is stored', async () => {
      const chatId = nextChat();
      const update = telegram().userMessage(bot, { chatId, text: 'forged' });
      expect(await telegram().deliver(bot, update, { secretToken: 'guessed-secret' })).to.equal(403);
      expect(await telegram().deliver(bot, update, { secretToken: null })).to.equal(403);
      await sleep(500);
      const [rows] = (await stack.db.query(`SELECT id FROM contacts WHERE telegram_chat_id = :chat`, { replacements: { chat: String(chatId) } })) as [unknown[], unknown];
      expect(rows).to.have.length(0);
    });

    it('when someone opens a deep link made for a known contact, then the chat joins that contact; /stop opts them out with one confirmation', async () => {
      const known = ok(await admin.post('/api/v1/contacts', { phone: nextPhone(), name: 'Known lead', timeZone: 'UTC' }), 201);
      const chatId = nextChat();
      expect(await telegram().deliver(bot, telegram().userMessage(bot, { chatId, text: `/start c_${known.id}` }))).to.equal(200);
      const linked = await contactByChat(chatId);
      expect(linked.id).to.equal(known.id);
      // Pressing Start opted them in on Telegram: its confirmation goes out before they change their mind.
      await eventually(async () => (telegram().sentTo(chatId).length === 1 ? true : undefined), 20_000, 100);
      expect(telegram().sentTo(chatId)[0]!.text).to.contain('subscribed again');
      expect(await telegram().deliver(bot, telegram().userMessage(bot, { chatId, text: '/stop' }))).to.equal(200);
      const detail = await eventually(async () => {
        const contact = ok(await admin.get(`/api/v1/contacts/${known.id}`), 200);
        return contact.consent.find((c: { channel: string; state: string }) => c.channel === 'telegram' && c.state === 'opted_out') ? contact : undefined;
      }, 20_000, 100);
      expect(detail.consent.find((c: { channel: string }) => c.channel === 'telegram')).to.deep.include({ source: 'keyword' });
      await eventually(async () => (telegram().sentTo(chatId).length >= 2 ? true : undefined), 20_000, 100);
      await sleep(1_500);
      // /start (opt-in confirmation) then /stop (opt-out confirmation): one each, nothing more.
      expect(telegram().sentTo(chatId)).to.have.length(2);
      const denied: Message = ok(await admin.post('/api/v1/messages', { contactId: known.id, channel: 'telegram', body: 'Last chance!' }), 201);
      expect(denied.policy!.reason.code).to.equal('OPTED_OUT');
    });

    it('when 5 replies go to one chat at once, then Telegram gets them about 1 s apart; a 429 retry_after is honoured', async () => {
      const chatId = nextChat();
      expect(await telegram().deliver(bot, telegram().userMessage(bot, { chatId, text: 'hi' }))).to.equal(200);
      const contact = await contactByChat(chatId);
      telegram().floodNext(1, 2);
      const startedAt = Date.now();
      for (let i = 1; i <= 5; i += 1) ok(await admin.post('/api/v1/messages', { contactId: contact.id, channel: 'telegram', body: `part ${i}` }), 201);
      await eventually(async () => (telegram().sentTo(chatId).length === 5 ? true : undefined), 30_000, 100);
      const times = telegram().sentTo(chatId).map((m) => m.at).sort((a, b) => a - b);
      const gaps = times.slice(1).map((t, i) => t - times[i]!);
      expect(Math.min(...gaps), `gaps ${gaps.join(', ')}`).to.be.at.least(950);
      expect(times[0]! - startedAt, 'the first send waited out retry_after (2 s)').to.be.at.least(1_900);
    });

    it('when 40 replies go to 40 chats at once, then the bot never sends more than 30 in any second', async () => {
      const [[tenant]] = (await stack.db.query(`SELECT tenant_id AS "tenantId", agency_id AS "agencyId" FROM provider_credentials WHERE provider = 'telegram' AND metadata->>'botId' = :bot`, { replacements: { bot: String(bot.id) } })) as [{ tenantId: string; agencyId: string }[], unknown];
      const chats = Array.from({ length: 40 }, () => nextChat());
      const ids: string[] = [];
      for (const chat of chats) {
        const [[row]] = (await stack.db.query(
          `INSERT INTO contacts (agency_id, tenant_id, name, telegram_chat_id, time_zone, time_zone_source) VALUES (:agencyId, :tenantId, 'Burst', :chat, 'UTC', 'manual') RETURNING id`,
          { replacements: { ...tenant!, chat: String(chat) } },
        )) as [{ id: string }[], unknown];
        ids.push(row!.id);
      }
      await Promise.all(ids.map((contactId, i) => admin.post('/api/v1/messages', { contactId, channel: 'telegram', body: `Offer ${i}` }).then((res) => ok(res, 201))));
      await eventually(async () => (chats.every((chat) => telegram().sentTo(chat).length === 1) ? true : undefined), 30_000, 100);
      const times = chats.map((chat) => telegram().sentTo(chat)[0]!.at).sort((a, b) => a - b);
      const busiest = Math.max(...times.map((start) => times.filter((t) => t >= start && t < start + 1000).length));
      expect(busiest).to.be.at.most(30);
      expect(times.at(-1)! - times[0]!, '40 at 30/s need more than a second').to.be.at.least(1000);
    });

    it('when the bot is in long-polling mode (no public URL), then the worker fetches its updates and stores them once', async () => {
      await stack.db.query(`UPDATE provider_credentials SET metadata = metadata || '{"updates": "polling"}'::jsonb WHERE provider = 'telegram' AND metadata->>'botId' = :bot`, { replacements: { bot: String(bot.id) } });
      delete bot.webhook; // as deleteWebhook does
      const chatId = nextChat();
      expect(await telegram().deliver(bot, telegram().userMessage(bot, { chatId, text: 'Polling works?' }))).to.equal('queued');
      const contact = await contactByChat(chatId);
      await sleep(2_500); // a few more polls: the offset moved on, nothing is stored twice
      const [rows] = (await stack.db.query(`SELECT body FROM messages WHERE contact_id = :c AND direction = 'inbound'`, { replacements: { c: contact.id } })) as [{ body: string }[], unknown];
      expect(rows.map((r) => r.body)).to.deep.equal(['Polling works?']);
    });
  });
});
