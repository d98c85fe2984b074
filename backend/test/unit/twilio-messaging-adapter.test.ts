import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { FakeTwilio, type TwilioAccount } from '../../../tests/fakes/twilio/index.js';
import { TwilioMessaging } from '../../src/adapters/messaging/twilio.js';
import { ProviderError, type OutboundMessage } from '../../src/ports/messaging.js';

const PUBLIC_URL = 'https://switchboard.test';
const SENDER = '+15005550006';

function sms(overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  const messageId = randomUUID();
  return { messageId, tenantId: randomUUID(), channel: 'sms', from: SENDER, to: '+14155550123', body: `Hello ${messageId.slice(0, 6)}`, idempotencyKey: messageId, ...overrides };
}

async function sendError(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (err) {
    expect(err).to.be.instanceOf(ProviderError);
    return err as ProviderError;
  }
  throw new Error('expected the send to fail');
}

describe('TwilioMessaging (official SDK against the fake Twilio API)', () => {
  let fake: FakeTwilio;
  let account: TwilioAccount;
  let credentials: { accountSid: string; authToken: string; phoneNumbers: string[] };
  let adapter: TwilioMessaging;

  before(async () => {
    fake = await FakeTwilio.start();
    fake.callbacks.enabled = false;
    adapter = new TwilioMessaging({ publicUrl: PUBLIC_URL, apiBaseUrl: fake.url, timeoutMs: 300 });
  });
  beforeEach(() => {
    fake.reset();
    fake.callbacks.enabled = false;
    account = fake.addAccount();
    credentials = { accountSid: account.sid, authToken: account.authToken, phoneNumbers: [SENDER] };
  });
  after(() => fake.close());

  it('when a message is sent, then Twilio has it once, with our status callback, and we get its SID', async () => {
    const message = sms({ body: 'Sorry we missed your call — how can we help?' });
    const result = await adapter.send(message, credentials);
    expect(result.providerMessageId).to.match(/^SM[0-9a-f]{32}$/);
    expect(result).to.include({ status: 'queued', segments: 1 });
    expect(fake.countSends({ to: message.to, body: message.body, mid: message.messageId })).to.equal(1);
    expect(fake.messages[0]!.statusCallback).to.equal(`${PUBLIC_URL}/webhooks/twilio/sms/status?mid=${message.messageId}`);
    expect(fake.messages[0]!.from).to.equal(SENDER);
  });

  it('when no sender is given, then the first configured number sends', async () => {
    await adapter.send(sms({ from: '' }), credentials);
    expect(fake.messages[0]!.from).to.equal(SENDER);
  });

  it('when Twilio answers 429 with Retry-After, then the error is rate_limited with retryAfterMs', async () => {
    fake.faults.rateLimitNext(1, 7);
    const error = await sendError(adapter.send(sms(), credentials));
    expect(error.kind).to.equal('rate_limited');
    expect(error.details).to.include({ retryAfterMs: 7000, status: 429 });
    expect(fake.messages).to.have.length(0);
  });

  it('when Twilio answers 500, then the error is transient', async () => {
    fake.faults.failNext(1, { status: 500 });
    const error = await sendError(adapter.send(sms(), credentials));
    expect(error.kind).to.equal('transient');
    expect(error.details.status).to.equal(500);
  });

  it('when the number is invalid (21211), then the error is permanent and carries the code', async () => {
    const error = await sendError(adapter.send(sms({ to: '+1234' }), credentials));
    expect(error.kind).to.equal('permanent');
    expect(error.details).to.include({ code: 21211, status: 400 });
  });

  it('when the recipient unsubscribed (21610), then the error is permanent', async () => {
    fake.rejectNumber('+14155550999', 21610, 'Attempt to send to unsubscribed recipient');
    const error = await sendError(adapter.send(sms({ to: '+14155550999' }), credentials));
    expect(error).to.include({ kind: 'permanent' });
    expect(error.details.code).to.equal(21610);
  });

  it('when the auth token is wrong, then the error is permanent (20003), not retried forever', async () => {
    const error = await sendError(adapter.send(sms(), { ...credentials, authToken: 'wrong' }));
    expect(error.kind).to.equal('permanent');
    expect(error.details).to.include({ status: 401, code: 20003 });
  });

  it('when Twilio stores the message but never answers, then the outcome is unknown and findSent finds it', async () => {
    fake.faults.acceptThenHangNext(1);
    const message = sms({ firstAttemptAt: new Date().toISOString() });
    const error = await sendError(adapter.send(message, credentials));
    expect(error.kind).to.equal('unknown_outcome');
    const found = await adapter.findSent(message, credentials);
    expect(found?.providerMessageId).to.equal(fake.messages[0]!.sid);
    expect(fake.countSends({ mid: message.messageId })).to.equal(1);
  });

  it('when the request times out without being stored, then the outcome is unknown and findSent finds nothing', async () => {
    fake.faults.timeoutNext(1);
    const message = sms({ firstAttemptAt: new Date().toISOString() });
    expect((await sendError(adapter.send(message, credentials))).kind).to.equal('unknown_outcome');
    expect(await adapter.findSent(message, credentials)).to.equal(undefined);
  });

  it('when Twilio cannot be reached at all, then the error is transient (nothing was sent)', async () => {
    const offline = new TwilioMessaging({ publicUrl: PUBLIC_URL, apiBaseUrl: 'http://127.0.0.1:9', timeoutMs: 300 });
    expect((await sendError(offline.send(sms(), credentials))).kind).to.equal('transient');
  });

  it('when an accepted message is looked up, then findSent matches it by recipient, sender and body only', async () => {
    const message = sms();
    const { providerMessageId } = await adapter.send(message, credentials);
    await adapter.send(sms({ to: message.to, body: 'another text' }), credentials);
    const found = await adapter.findSent(message, credentials);
    expect(found?.providerMessageId).to.equal(providerMessageId);
    expect(found?.status).to.be.oneOf(['queued', 'sent', 'delivered']);
    expect(await adapter.findSent(sms({ to: message.to, body: 'never sent' }), credentials)).to.equal(undefined);
  });

  it('when long or non-GSM texts are sent, then Twilio counts segments like the real API', async () => {
    expect((await adapter.send(sms({ body: 'a'.repeat(161) }), credentials)).segments).to.equal(2);
    expect((await adapter.send(sms({ body: '🙂'.repeat(71) }), credentials)).segments).to.equal(2);
  });

  it('declares long-code pacing of one message per second by default', () => {
    expect(adapter.defaultPacing).to.deep.equal({ messagesPerSecond: 1 });
    expect(new TwilioMessaging({ publicUrl: PUBLIC_URL, messagesPerSecond: 30 }).defaultPacing.messagesPerSecond).to.equal(30);
  });
});
