import { expect } from 'chai';
import { randomInt, randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import type { CloudNumber } from '../../../tests/fakes/whatsapp-cloud/index.js';
import { Browser } from '../support/browser.js';
import { createAgency, createPerson, createTenant } from '../support/identity-world.js';
import { MessagingStack } from '../support/messaging-stack.js';
import { eventually } from '../support/pipeline-world.js';
import { freshUsNumber } from '../support/telephony-world.js';

type Message = { id: string; status: string; provider: string | null; policy: { decision: string; reason: { code: string } } | null };
type Settings = Record<string, unknown> & { whatsappTransport: string; linkedDeviceSessionWindow: boolean };

let phoneCounter = randomInt(0, 9000);
const nextPhone = () => `+1415556${String(phoneCounter++ % 10_000).padStart(4, '0')}`;

/**
 * Issue 5, the tenant's WhatsApp transport: through the HTTP API and the real worker. A WhatsApp message
 * row is stamped with the chosen transport ('baileys' by default, 'whatsapp_cloud' after choosing the
 * Cloud API) and the 24-hour window follows it: always on Cloud API, on a linked device per the flag.
 */
describe('WhatsApp transport choice and the 24-hour window: HTTP API, real worker', function () {
  this.timeout(60_000);
  let stack: MessagingStack;
  let admin: Browser;
  let number: CloudNumber;

  const ok = (res: Response, status: number) => {
    expect(res.status, JSON.stringify(res.body)).to.equal(status);
    return res.body;
  };
  const settings = async (): Promise<Settings> => ok(await admin.get('/api/v1/messaging-settings'), 200);
  const putSettings = async (changes: Record<string, unknown>): Promise<Settings> =>
    ok(await admin.send('put', '/api/v1/messaging-settings', { body: { ...(await settings()), ...changes } }), 200);
  /** Opted in to WhatsApp (through the consent API) but never wrote to us: free-form text is "cold". */
  const coldContact = async () => {
    const contact = ok(await admin.post('/api/v1/contacts', { phone: nextPhone(), name: 'Cold lead', timeZone: 'UTC' }), 201);
    ok(await admin.post(`/api/v1/contacts/${contact.id}/consent`, { channel: 'whatsapp', kind: 'opt_in', source: 'form', wording: 'WhatsApp me', evidence: { formId: 'wa' } }), 201);
    return contact as { id: string; phone: string };
  };
  const send = async (contactId: string, content: Record<string, unknown>): Promise<Message> =>
    ok(await admin.post('/api/v1/messages', { contactId, channel: 'whatsapp', ...content }), 201);
  const settles = (id: string) =>
    eventually(async () => {
      const message: Message = ok(await admin.get(`/api/v1/messages/${id}`), 200);
      return ['sent', 'delivered', 'failed', 'dead'].includes(message.status) ? message : undefined;
    }, 20_000, 100);

  before(async function () {
    this.timeout(120_000);
    stack = await MessagingStack.start();
    const agencyId = await createAgency(stack.db);
    const tenantId = await createTenant(stack.db, agencyId);
    const person = await createPerson(stack.db, [{ agencyId, tenantId, role: 'tenant_admin' }]);
    admin = new Browser(stack.apiUrl);
    ok(await admin.signIn(person.email, person.password), 200);
    const phoneNumberId = String(randomInt(100_000_000, 999_999_999));
    const displayNumber = freshUsNumber();
    const webhookPath = `/webhooks/whatsapp-cloud/${agencyId}/${tenantId}`;
    number = stack.whatsapp.addNumber({ phoneNumberId, displayNumber, webhookUrl: `${stack.apiUrl}${webhookPath}` });
    expect((await settings()).whatsappTransport, 'before any WhatsApp account').to.equal('baileys');
    ok(await admin.send('put', '/api/v1/tenant/providers/whatsapp-cloud', {
      body: { accessToken: number.accessToken, appSecret: number.appSecret, verifyToken: randomUUID(), phoneNumberId, displayNumber },
    }), 200);
    expect((await settings()).whatsappTransport, 'connecting a Cloud API number selects it').to.equal('cloud');
    // These tests are about the linked device first: choose it explicitly.
    await putSettings({ sendingWindow: { start: '00:00', end: '23:59' }, whatsappTransport: 'baileys' });
  });
  after(async () => {
    await stack?.close();
  });

  it('when the tenant is on the linked device, then the window is on by default; a PUT without the fields keeps them', async () => {
    expect(await settings()).to.deep.include({ whatsappTransport: 'baileys', linkedDeviceSessionWindow: true });
    const { whatsappTransport: _t, linkedDeviceSessionWindow: _w, ...older } = await settings();
    ok(await admin.send('put', '/api/v1/messaging-settings', { body: { ...older, linkedDeviceSessionWindow: false } }), 200);
    ok(await admin.send('put', '/api/v1/messaging-settings', { body: { ...older, helpText: 'Reply STOP to stop' } }), 200);
    expect(await settings()).to.deep.include({ whatsappTransport: 'baileys', linkedDeviceSessionWindow: false, helpText: 'Reply STOP to stop' });
    const bad = await admin.send('put', '/api/v1/messaging-settings', { body: { ...older, whatsappTransport: 'sms' } });
    expect(bad.status).to.equal(400);
    await putSettings({ linkedDeviceSessionWindow: true });
  });

  it('when the tenant is on the linked device, then a WhatsApp message row says baileys, cold messages are refused (ban-risk guard, then the window), and Meta gets nothing', async () => {
    const contact = await coldContact();
    const text = await send(contact.id, { body: 'Hi there' });
    expect(text).to.deep.include({ status: 'denied', provider: 'baileys' });
    expect(text.policy!.reason.code).to.equal('WHATSAPP_COLD_CONTACT');
    const template = await send(contact.id, { template: { name: 'missed_call', language: 'en' } });
    expect(template).to.deep.include({ status: 'denied', provider: 'baileys' });
    await putSettings({ linkedDeviceColdContacts: true });
    const allowed = await send(contact.id, { body: 'Hi there' });
    expect(allowed.policy!.reason.code, 'cold messages allowed: the window still applies').to.equal('WHATSAPP_SESSION_CLOSED');
    await putSettings({ linkedDeviceColdContacts: false });
    expect(stack.whatsapp.sendsTo(contact.phone)).to.deep.equal([]);
  });

  it('when the linked-device window flag is off, then cold free-form text on the linked device is not refused for the window', async () => {
    await putSettings({ whatsappTransport: 'baileys', linkedDeviceSessionWindow: false });
    const contact = await coldContact();
    const text = await send(contact.id, { body: 'Hi there' });
    expect(text.provider).to.equal('baileys');
    expect(text.policy!.reason.code).not.to.equal('WHATSAPP_SESSION_CLOSED');
  });

  it('when the tenant chose the Cloud API, then the window applies even with the flag off, and a template goes to Meta (provider whatsapp_cloud)', async () => {
    await putSettings({ whatsappTransport: 'cloud', linkedDeviceSessionWindow: false });
    const contact = await coldContact();
    const text = await send(contact.id, { body: 'Hi there' });
    expect(text).to.deep.include({ status: 'denied', provider: 'whatsapp_cloud' });
    expect(text.policy!.reason.code).to.equal('WHATSAPP_SESSION_CLOSED');
    const template = await send(contact.id, { template: { name: 'missed_call', language: 'en' } });
    expect(template.provider).to.equal('whatsapp_cloud');
    expect((await settles(template.id)).status).to.be.oneOf(['sent', 'delivered']);
    expect(stack.whatsapp.sendsTo(contact.phone).map((s) => s.template)).to.deep.equal(['missed_call']);
  });

  it('when a customer texts STOP to the Cloud API number while the tenant is on the linked device, then the confirmation goes back through the Cloud API', async () => {
    await putSettings({ whatsappTransport: 'baileys', linkedDeviceSessionWindow: true });
    const phone = nextPhone();
    expect((await stack.whatsapp.deliverInbound(number.phoneNumberId, { from: phone, text: 'STOP' })).status).to.equal(200);
    const sent = await eventually(async () => stack.whatsapp.sendsTo(phone)[0], 20_000, 100);
    expect(sent.body).to.match(/unsubscribed/i);
  });
});
