import { expect } from 'chai';
import { randomInt, randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import type { ChatRequest, ScriptedResponse } from '../../../tests/fakes/openai/index.js';
import type { CloudNumber } from '../../../tests/fakes/whatsapp-cloud/index.js';
import { Browser } from '../support/browser.js';
import { createAgency, createPerson, createTenant } from '../support/identity-world.js';
import { MessagingStack } from '../support/messaging-stack.js';
import { eventually } from '../support/pipeline-world.js';
import { providerFakes } from '../support/provider-fakes.js';
import { freshUsNumber } from '../support/telephony-world.js';

/**
 * A model that books: first it searches slots, then books the first one, then confirms what the tool
 * said. Stateless (it reads the conversation it is sent), so any number of chats can use it at once.
 */
function bookingModel(serviceId: string, day: string) {
  return (req: ChatRequest): ScriptedResponse => {
    const last = req.messages.at(-1)!;
    if (last.role !== 'tool') return { toolCalls: [{ name: 'find_free_slots', arguments: { serviceId, from: day } }] };
    const result = JSON.parse(String(last.content)) as { slots?: { iso: string }[]; booked?: boolean; start?: { local: string }; error?: string };
    if (result.slots?.length) return { toolCalls: [{ name: 'book_appointment', arguments: { serviceId, start: result.slots[0]!.iso } }] };
    if (result.booked) return { reply: `Booked! See you ${result.start!.local}.` };
    return { reply: `Sorry, something went wrong: ${result.error ?? 'no slots'}` };
  };
}

/**
 * Issue 8's "done": a Telegram user and a WhatsApp user book an appointment with the tenant's agent,
 * through the provider fakes, the API's webhooks, the real worker process (event relay -> agent runtime
 * -> official OpenAI SDK against the fake -> send pipeline) and back out to the fakes. Plus the web chat
 * over HTTP as the widget uses it.
 */
describe('AI agent end to end: Telegram, WhatsApp and web chat users book through the real worker', function () {
  this.timeout(60_000);
  let stack: MessagingStack;
  let admin: Browser;
  let serviceId: string;
  let webKey: string;
  const fake = () => providerFakes().openai;
  const day = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
  const ok = (res: Response, status: number) => {
    expect(res.status, JSON.stringify(res.body)).to.equal(status);
    return res.body;
  };
  const bookingsOf = async (contactId: string) => ok(await admin.send('get', '/api/v1/bookings', { query: { contactId } }), 200).bookings as { source: string; status: string }[];

  before(async function () {
    this.timeout(120_000);
    stack = await MessagingStack.start();
    const agencyId = await createAgency(stack.db);
    const tenantId = await createTenant(stack.db, agencyId);
    const person = await createPerson(stack.db, [{ agencyId, tenantId, role: 'tenant_admin' }]);
    admin = new Browser(stack.apiUrl);
    ok(await admin.signIn(person.email, person.password), 200);
    serviceId = ok(await admin.post('/api/v1/booking/services', { name: 'Teeth cleaning', durationMinutes: 30 }), 201).id;
    const weekly = [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, ranges: [{ start: '08:00', end: '18:00' }] }));
    ok(await admin.send('put', '/api/v1/booking/hours', { body: { weekly } }), 204);
    const agent = ok(await admin.post('/api/v1/agents', { name: 'Ava', channels: ['telegram', 'whatsapp', 'web'], settings: { batchWindowMs: 300 } }), 201);
    webKey = agent.webKey;
    const version = ok(await admin.post(`/api/v1/agents/${agent.id}/versions`, { facts: { businessName: 'Bright Smile', services: 'Teeth cleaning' } }), 201);
    ok(await admin.post(`/api/v1/agents/${agent.id}/versions/${version.version}/publish`, {}), 200);
    fake().reset();
    fake().script.setDefault(bookingModel(serviceId, day));
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.log(`      worker log (tail):\n${stack.worker.output(0).slice(-40).join('\n')}`);
  });
  after(async () => {
    fake().reset();
    await stack?.close();
  });

  it('when a Telegram user asks for a cleaning, then the agent books it and the confirmation reaches their chat once', async () => {
    const telegram = providerFakes().telegram;
    const bot = telegram.addBot();
    ok(await admin.send('put', '/api/v1/tenant/providers/telegram', { body: { botToken: bot.token } }), 200);
    const chatId = 800_000_000 + randomInt(1_000_000);
    expect(await telegram.deliver(bot, telegram.userMessage(bot, { chatId, text: 'Hi! Can I book a cleaning?' }))).to.equal(200);

    const reply = await eventually(async () => telegram.sentTo(chatId)[0], 20_000, 100);
    expect(reply.text).to.match(new RegExp(`^Booked! See you \\w{3} ${day} 08:00\\.$`), 'the first slot of the day, in the business time zone');
    const [rows] = (await stack.db.query(`SELECT id FROM contacts WHERE telegram_chat_id = :chat`, { replacements: { chat: String(chatId) } })) as [{ id: string }[], unknown];
    expect((await bookingsOf(rows[0]!.id)).map((b) => [b.source, b.status])).to.deep.equal([['agent', 'confirmed']]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(telegram.sentTo(chatId), 'one reply, no double send').to.have.length(1);
  });

  it('when a WhatsApp user asks for a cleaning (Cloud API), then the agent books it and the confirmation reaches WhatsApp once', async () => {
    const displayNumber = freshUsNumber();
    const phoneNumberId = String(randomInt(100_000_000, 999_999_999));
    const saved = ok(await admin.send('put', '/api/v1/tenant/providers/whatsapp-cloud', {
      body: { accessToken: `EAAG${randomUUID().replace(/-/g, '')}`, appSecret: randomUUID().replace(/-/g, ''), verifyToken: 'verify-me-please', phoneNumberId, displayNumber },
    }), 200);
    const number: CloudNumber = stack.whatsapp.addNumber({ phoneNumberId, displayNumber, webhookUrl: `${stack.apiUrl}${saved.webhookPath}` });
    ok(await admin.send('put', '/api/v1/tenant/providers/whatsapp-cloud', {
      body: { accessToken: number.accessToken, appSecret: number.appSecret, verifyToken: 'verify-me-please', phoneNumberId, displayNumber },
    }), 200);
    const phone = `+1415555${String(randomInt(0, 9999)).padStart(4, '0')}`;
    expect((await stack.whatsapp.deliverInbound(phoneNumberId, { from: phone, text: 'Hello, I need a cleaning please' })).status).to.equal(200);

    const reply = await eventually(async () => stack.whatsapp.sendsTo(phone)[0], 20_000, 100);
    expect(reply.body).to.match(/^Booked! See you \w{3} \d{4}-\d{2}-\d{2} \d{2}:\d{2}\.$/);
    const [contact] = ok(await admin.send('get', '/api/v1/contacts', { query: { q: phone } }), 200).contacts as { id: string }[];
    const bookings = await bookingsOf(contact!.id);
    expect(bookings.map((b) => [b.source, b.status])).to.deep.equal([['agent', 'confirmed']]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(stack.whatsapp.sendsTo(phone)).to.have.length(1);
  });

  it('when a website visitor uses the widget, then the chat API books through the agent and the reply shows up in the history', async () => {
    const widget = await fetch(`${stack.apiUrl}/widget.js`);
    expect([widget.status, widget.headers.get('content-type')]).to.deep.equal([200, 'application/javascript; charset=utf-8']);
    expect(await widget.text()).to.include('/api/v1/web-chat');
    const preflight = await fetch(`${stack.apiUrl}/api/v1/web-chat/messages`, { method: 'OPTIONS', headers: { origin: 'https://dentist.example', 'access-control-request-method': 'POST' } });
    expect([preflight.status, preflight.headers.get('access-control-allow-origin')]).to.deep.equal([204, '*']);

    const post = (path: string, body: unknown) =>
      fetch(`${stack.apiUrl}/api/v1/web-chat${path}`, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'https://dentist.example' }, body: JSON.stringify(body) });
    const session = await (await post(`/${webKey}/sessions`, { name: 'Web visitor' })).json() as { sessionToken: string; contactId: string };
    const sent = await post('/messages', { sessionToken: session.sessionToken, text: 'Can I book a cleaning?', clientMessageId: 'msg-000001' });
    expect(sent.status).to.equal(201);
    expect((await post('/messages', { sessionToken: session.sessionToken, text: 'Can I book a cleaning?', clientMessageId: 'msg-000001' })).status, 'a retried POST').to.equal(201);
    const history = await eventually(async () => {
      const res = await (await post('/history', { sessionToken: session.sessionToken, afterSeq: 0 })).json() as { messages: { from: string; text: string }[] };
      return res.messages.some((m) => m.from === 'business') ? res.messages : undefined;
    }, 20_000, 150);
    expect(history.map((m) => m.from)).to.deep.equal(['visitor', 'business']);
    expect(history[1]!.text).to.match(/^Booked! See you/);
    expect((await bookingsOf(session.contactId)).map((b) => b.source)).to.deep.equal(['agent']);

    const forged = await post('/history', { sessionToken: `${session.sessionToken.split('.')[0]}.AAAA${'A'.repeat(39)}`, afterSeq: 0 });
    expect(forged.status).to.equal(401);
    expect((await post('/wk_doesnotexist12345/sessions', {})).status).to.equal(404);
  });
});
