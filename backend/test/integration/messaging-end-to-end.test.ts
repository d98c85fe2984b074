import { expect } from 'chai';
import { randomInt, randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { twilioSid, TwilioWebhookSender, type TwilioAccount } from '../../../tests/fakes/twilio/index.js';
import { verifyEventSignature } from '../../src/modules/events/event-signature.js';
import { Browser } from '../support/browser.js';
import { createAgency, createPerson, createTenant } from '../support/identity-world.js';
import { MessagingStack } from '../support/messaging-stack.js';
import { eventually } from '../support/pipeline-world.js';
import { freshUsNumber } from '../support/telephony-world.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

type Message = { id: string; status: string; from: string | null; to: string; providerMessageId: string | null; attempts: number;
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

    account = stack.fake.addAccount();
    ourNumber = freshUsNumber();
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
      const [contact] = await contactsMatching(phone);
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
});
