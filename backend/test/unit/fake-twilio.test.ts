import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import { FakeTwilio, TwilioWebhookSender, type TwilioAccount } from '../../../tests/fakes/twilio/index.js';
import { TwilioVoice, sayTwiml } from '../../src/adapters/voice/twilio.js';

const PUBLIC_URL = 'https://switchboard.test';
type Received = { path: string; headers: Record<string, string | string[] | undefined>; params: Record<string, string> };

/** A stand-in for our backend: records what the fake posts to it. */
async function startReceiver(): Promise<{ url: string; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, params: Object.fromEntries(new URLSearchParams(body)) });
      res.writeHead(200, { 'content-type': 'text/xml' }).end('<Response/>');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('fake Twilio API (tests/fakes/twilio)', () => {
  let fake: FakeTwilio;
  let account: TwilioAccount;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let client: ReturnType<typeof twilio>;

  before(async () => {
    receiver = await startReceiver();
    fake = await FakeTwilio.start({ deliverCallbacksTo: receiver.url, stepMs: 1 });
  });
  beforeEach(() => {
    fake.reset();
    receiver.received.length = 0;
    account = fake.addAccount();
    client = twilio(account.sid, account.authToken);
    client.api.baseUrl = fake.url;
  });
  after(async () => {
    await fake.close();
    await receiver.close();
  });

  const signatureValid = (r: Received) =>
    twilio.validateRequest(account.authToken, String(r.headers['x-twilio-signature']), `${PUBLIC_URL}${r.path}`, r.params);

  it('when a message is accepted, then signed callbacks report sent then delivered to the public URL', async () => {
    await client.messages.create({ to: '+14155550100', from: '+15005550006', body: 'hi', statusCallback: `${PUBLIC_URL}/webhooks/twilio/sms/status?mid=m-1` });
    await fake.settled();
    expect(receiver.received.map((r) => r.params.MessageStatus)).to.deep.equal(['sent', 'delivered']);
    for (const r of receiver.received) {
      expect(r.path).to.equal('/webhooks/twilio/sms/status?mid=m-1');
      expect(signatureValid(r), 'X-Twilio-Signature').to.equal(true);
    }
    expect((await client.messages(fake.messages[0]!.sid).fetch()).status).to.equal('delivered');
  });

  it('when a destination is set to fail, then the callback says undelivered with the ErrorCode', async () => {
    fake.setMessageOutcome('+14155550101', { status: 'undelivered', errorCode: 30005 });
    await client.messages.create({ to: '+14155550101', from: '+15005550006', body: 'x', statusCallback: `${PUBLIC_URL}/s?mid=1` });
    await fake.settled();
    expect(receiver.received.at(-1)!.params).to.include({ MessageStatus: 'undelivered', ErrorCode: '30005' });
  });

  it('when the credentials are wrong, then 401 with Twilio\'s error body', async () => {
    const res = await fetch(`${fake.url}/2010-04-01/Accounts/${account.sid}/Messages.json`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${account.sid}:nope`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'To=%2B14155550100&From=%2B15005550006&Body=x',
    });
    expect(res.status).to.equal(401);
    expect(await res.json()).to.include({ code: 20003, status: 401 });
    expect(fake.messages).to.have.length(0);
  });

  it('when a call is placed through TwilioVoice, then it carries escaped TwiML and the asked-for progress callbacks arrive signed', async () => {
    const voice = new TwilioVoice({ publicUrl: PUBLIC_URL, apiBaseUrl: fake.url });
    const result = await voice.placeCall(
      { callId: 'c-1', tenantId: 't', from: '+15005550006', to: '+14155550102', spokenMessage: 'Tom & Jerry <3 "you"' },
      { accountSid: account.sid, authToken: account.authToken, phoneNumbers: [] },
    );
    expect(result.providerCallId).to.match(/^CA[0-9a-f]{32}$/);
    expect(fake.calls[0]!.twiml).to.equal('<Response><Say>Tom &amp; Jerry &lt;3 &quot;you&quot;</Say></Response>');
    await fake.settled();
    expect(receiver.received.map((r) => r.params.CallStatus)).to.deep.equal(['initiated', 'ringing', 'in-progress', 'completed']);
    expect(receiver.received.at(-1)!.params.CallDuration).to.equal('30');
    expect(receiver.received.every(signatureValid)).to.equal(true);
    expect((await client.calls(result.providerCallId).fetch()).status).to.equal('completed');
  });

  it('when a callee does not answer, then only the final "completed" event is sent by default, with no-answer', async () => {
    fake.setCallOutcome('+14155550103', { status: 'no-answer' });
    await client.calls.create({ to: '+14155550103', from: '+15005550006', twiml: sayTwiml('hi'), statusCallback: `${PUBLIC_URL}/webhooks/twilio/voice/status` });
    await fake.settled();
    expect(receiver.received.map((r) => [r.params.CallStatus, r.params.CallDuration])).to.deep.equal([['no-answer', '0']]);
  });

  it('when switches are flipped through the control endpoint, then they apply like the in-code ones', async () => {
    await fetch(`${fake.url}/__fake/faults`, { method: 'POST', body: JSON.stringify({ kind: 'fail', count: 2, status: 503 }) });
    await fetch(`${fake.url}/__fake/message-outcome`, { method: 'POST', body: JSON.stringify({ to: '+14155550104', status: 'failed', errorCode: 30006 }) });
    const attempt = () => client.messages.create({ to: '+14155550104', from: '+15005550006', body: 'x' }).then(() => 'ok', (err: { status: number }) => err.status);
    expect([await attempt(), await attempt(), await attempt()]).to.deep.equal([503, 503, 'ok']);
    await fake.settled();
    const state = (await (await fetch(`${fake.url}/__fake/state`)).json()) as { messages: { status: string; error_code: number }[] };
    expect(state.messages[0]).to.include({ status: 'failed', error_code: 30006 });
    expect(fake.requests.filter((r) => r.fault === 'fail')).to.have.length(2);
  });

  it('when the same message is accepted twice, then duplicates() names it', async () => {
    for (let i = 0; i < 2; i += 1) await client.messages.create({ to: '+14155550105', from: '+15005550006', body: 'twice', statusCallback: `${PUBLIC_URL}/s?mid=dup` });
    await client.messages.create({ to: '+14155550105', from: '+15005550006', body: 'once', statusCallback: `${PUBLIC_URL}/s?mid=one` });
    expect(fake.duplicates()).to.deep.equal([{ to: '+14155550105', body: 'twice', mid: 'dup', count: 2 }]);
  });

  it('when latency is set, then answers are delayed', async () => {
    fake.faults.latencyMs = 120;
    const started = Date.now();
    await client.messages.create({ to: '+14155550106', from: '+15005550006', body: 'slow' });
    expect(Date.now() - started).to.be.at.least(110);
  });

  it('when a webhook is built by the sender helper, then its signature validates against the public URL', () => {
    const sender = new TwilioWebhookSender({ publicUrl: PUBLIC_URL, deliverTo: receiver.url, accountSid: account.sid, authToken: account.authToken });
    const hook = sender.inboundSmsWebhook({ from: '+14155550107', to: '+15005550006', body: 'STOP' });
    expect(twilio.validateRequest(account.authToken, hook.signature, `${PUBLIC_URL}/webhooks/twilio/sms/inbound`, hook.params)).to.equal(true);
  });
});
