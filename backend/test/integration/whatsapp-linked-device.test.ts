import { expect } from 'chai';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { Sequelize } from 'sequelize';
import request from 'supertest';
import { FakeWhatsAppNetwork } from '../../../tests/fakes/baileys/index.js';
import { BaileysMessaging } from '../../src/adapters/messaging/baileys.js';
import { scopeRunner } from '../../src/db/tenant-scope.js';
import { createLogger } from '../../src/logger.js';
import { outboxEventBus } from '../../src/modules/events/publish-event.js';
import { applyProviderStatus } from '../../src/modules/messages/apply-provider-status.js';
import { receiveInbound } from '../../src/modules/messages/receive-inbound.js';
import { enqueueOutbox } from '../../src/modules/outbox/enqueue-outbox.js';
import { LinkedDeviceSessions } from '../../src/modules/whatsapp-linked/linked-device-sessions.js';
import { createAgencyWorld, superuserSequelize, type WorldAgency } from '../support/accounts-world.js';
import { eventually } from '../support/pipeline-world.js';
import { startTestPipeline, type TestPipeline } from '../support/test-pipeline.js';
import { memberPrincipal, TestApi } from '../support/test-api.js';

type SseEvent = { event: string; data: Record<string, unknown> };

/** Reads a server-sent event stream to its end (the route closes it once the number is linked). */
async function readEvents(url: string, headers: Record<string, string>, onEvent: (event: SseEvent) => void): Promise<SseEvent[]> {
  const res = await fetch(url, { headers });
  expect(res.headers.get('content-type')).to.match(/^text\/event-stream/);
  const events: SseEvent[] = [];
  let buffer = '';
  const decoder = new TextDecoder();
  for await (const chunk of res.body!) {
    buffer += decoder.decode(chunk as Uint8Array, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.+)$/m.exec(block)?.[1];
      const data = /^data: (.+)$/m.exec(block)?.[1];
      if (event && data) {
        const parsed = { event, data: JSON.parse(data) as Record<string, unknown> };
        events.push(parsed);
        onEvent(parsed);
      }
    }
  }
  return events;
}

/**
 * Issue 5's linked-device transport: the real API (pairing, SSE, health, send), the real session manager
 * and send pipeline in this process, and the fake WhatsApp network in place of Baileys' socket.
 */
describe('WhatsApp linked device (Baileys surface faked): pairing, restart, inbound, replies, receipts, logout, ban', function () {
  this.timeout(60_000);
  let db: Sequelize;
  let api: TestApi;
  let server: Server;
  let baseUrl: string;
  let world: WorldAgency;
  let network: FakeWhatsAppNetwork;
  let pipeline: TestPipeline;
  let sessions: LinkedDeviceSessions;
  const phone = '+14155550001';
  const tenant = () => world.tenants[0];
  const admin = () => api.signIn(memberPrincipal(world.id, tenant().users.tenant_admin));
  const scope = () => ({ agencyId: world.id, tenantId: tenant().id });

  const newSessions = () => {
    const runInScope = scopeRunner(pipeline.sequelize);
    const events = outboxEventBus(pipeline.sequelize);
    const messaging = { runInScope, events, enqueueOutbox };
    return new LinkedDeviceSessions({
      sequelize: pipeline.sequelize, runInScope, redis: api.container.redis, events, factory: network.factory(),
      encryptionKey: api.container.config.secrets.encryptionKey, logger: createLogger({ logLevel: 'silent' }), prefix: api.container.config.pipeline.queuePrefix,
      acceptInbound: (inbound) => receiveInbound(messaging, inbound), applyStatus: (update) => applyProviderStatus(messaging, update),
      backoff: { baseMs: 50, maxMs: 400 }, ownershipMs: 5_000,
    });
  };
  const sessionStates = async () => {
    const [rows] = (await db.query(`SELECT data->>'state' AS state FROM event_outbox WHERE tenant_id = :t AND type = 'whatsapp.session' ORDER BY occurred_at, id`, {
      replacements: { t: tenant().id },
    })) as [{ state: string }[], unknown];
    return rows.map((r) => r.state);
  };
  const health = async () => (await request(api.app).get('/api/v1/whatsapp/linked-device').set(admin()).expect(200)).body;
  const messageOf = async (id: string) => (await request(api.app).get(`/api/v1/messages/${id}`).set(admin()).expect(200)).body;
  const contactIdOf = async (from: string) => eventually(async () => {
    const [rows] = (await db.query(`SELECT id FROM contacts WHERE tenant_id = :t AND phone = :from`, { replacements: { t: tenant().id, from } })) as [{ id: string }[], unknown];
    return rows[0]?.id;
  });

  before(async () => {
    db = superuserSequelize();
    api = TestApi.create({ PIPELINE_QUEUE_PREFIX: `wa${randomBytes(3).toString('hex')}` });
    server = createServer(api.app);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    world = await createAgencyWorld(db);
    network = new FakeWhatsAppNetwork({ qrIntervalMs: 150 });
    pipeline = startTestPipeline({
      adapters: [{ provider: 'baileys', channelDefault: true, port: new BaileysMessaging({ socketFor: (t) => sessions.socketFor(t) }, {
        typing: { msPerChar: 1, minMs: 60, maxMs: 120 }, pacing: { perNumber: 10, perChat: 2 }, rateLimitWaitMs: 300,
      }) }],
    });
    sessions = newSessions();
    await sessions.start();
  });
  after(async () => {
    await sessions?.stop();
    network?.closeAll();
    await pipeline?.stop();
    server?.closeAllConnections();
    server?.close();
    await api?.close();
    await db?.close();
  });

  it('when an admin starts pairing, then the event stream shows QR codes and ends when the phone has scanned: the number is open', async () => {
    expect((await health()).state).to.equal('not_linked');
    let scanned = false;
    await request(api.app).post('/api/v1/whatsapp/linked-device/pair').set(admin()).send({}).expect(202);
    // The portal opens the stream right after asking: a QR shown in between is replayed from Redis.
    const events = await readEvents(`${baseUrl}/api/v1/whatsapp/linked-device/qr`, admin(), (event) => {
      if (event.event === 'qr' && !scanned && (network.qrsShown.get(tenant().id) ?? 0) >= 2) {
        scanned = true;
        void network.scan(tenant().id, phone);
      }
    });
    const qrs = events.filter((e) => e.event === 'qr');
    expect(qrs.length, 'rotating QR codes were streamed').to.be.greaterThanOrEqual(2);
    expect(new Set(qrs.map((e) => e.data.qr)).size).to.equal(qrs.length);
    expect(events.at(-1)).to.deep.include({ event: 'state' });
    expect(events.at(-1)!.data).to.include({ state: 'open', phone });
    expect(await health()).to.include({ state: 'open', phone, lastError: null });
    expect(await sessionStates()).to.include.ordered.members(['connecting', 'qr', 'open']);
    const [secrets] = (await db.query(`SELECT ciphertext FROM whatsapp_auth_entries WHERE tenant_id = :t`, { replacements: { t: tenant().id } })) as [{ ciphertext: string }[], unknown];
    expect(secrets.length).to.be.greaterThanOrEqual(2);
    expect(secrets.map((s) => s.ciphertext).join(' '), 'auth state is encrypted at rest').not.to.contain('registered');
  });

  it('when the worker restarts, then the session comes back from the stored auth state without a new QR', async () => {
    const qrsBefore = network.qrsShown.get(tenant().id);
    const connectsBefore = network.connects.get(tenant().id)!;
    await sessions.stop();
    sessions = newSessions();
    await sessions.start();
    await eventually(async () => ('socket' in sessions.socketFor(tenant().id) ? true : undefined), 5_000);
    expect(network.connects.get(tenant().id)).to.equal(connectsBefore + 1);
    expect(network.qrsShown.get(tenant().id), 'no QR after a restart').to.equal(qrsBefore);
    expect((await health()).state).to.equal('open');
  });

  it('when a customer writes (delivered twice), then one message.received; the reply is typed, sent once, and receipts move it to delivered and read', async () => {
    const customer = '+14155550123';
    const id = network.deliver(tenant().id, { from: customer, text: 'Hi! Are you open today?' });
    network.deliver(tenant().id, { from: customer, text: 'Hi! Are you open today?', id });
    const contactId = await contactIdOf(customer);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const [received] = (await db.query(`SELECT count(*)::int AS n FROM event_outbox WHERE tenant_id = :t AND type = 'message.received' AND data->>'contactId' = :c`, {
      replacements: { t: tenant().id, c: contactId },
    })) as [{ n: number }[], unknown];
    expect(received[0]!.n).to.equal(1);

    const sent = await request(api.app).post('/api/v1/messages').set(admin()).send({ contactId, channel: 'whatsapp', body: 'Yes, until 6pm!' }).expect(201);
    const message = await eventually(async () => { const m = await messageOf(sent.body.id); return m.status === 'sent' ? m : undefined; }, 10_000);
    expect(message.provider).to.equal('baileys');
    const sends = network.sendsTo(customer);
    expect(sends.map((s) => s.text)).to.deep.equal(['Yes, until 6pm!']);
    const typing = network.presence.filter((p) => p.to === customer);
    expect(typing.map((p) => p.state)).to.deep.equal(['composing', 'paused']);
    expect(sends[0]!.at - typing[0]!.at, 'typed for a moment first').to.be.greaterThanOrEqual(50);

    network.receipt(tenant().id, sends[0]!.messageId, 'delivered');
    await eventually(async () => ((await messageOf(sent.body.id)).status === 'delivered' ? true : undefined));
    network.receipt(tenant().id, sends[0]!.messageId, 'read');
    await eventually(async () => ((await messageOf(sent.body.id)).status === 'read' ? true : undefined));
  });

  it('when a customer sends a photo, then the message says so and staff can download the file; another tenant cannot', async () => {
    const customer = '+14155550124';
    const data = randomBytes(2048);
    network.deliver(tenant().id, { from: customer, text: undefined, media: { kind: 'image', mimeType: 'image/jpeg', fileName: 'teeth.jpg', data } });
    const contactId = await contactIdOf(customer);
    const [rows] = await eventually(async () => {
      const result = (await db.query(`SELECT id, body FROM messages WHERE contact_id = :c AND direction = 'inbound'`, { replacements: { c: contactId } })) as [{ id: string; body: string }[], unknown];
      return result[0].length ? result : undefined;
    });
    expect(rows[0]!.body).to.equal('[image: teeth.jpg]');
    const file = await eventually(async () => {
      const res = await request(api.app).get(`/api/v1/messages/${rows[0]!.id}/media`).set(admin()).buffer(true).parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
      return res.status === 200 ? res : undefined;
    });
    expect(file.headers['content-type']).to.equal('image/jpeg');
    expect(Buffer.compare(file.body as Buffer, data)).to.equal(0);
    const other = api.signIn(memberPrincipal(world.id, world.tenants[1].users.tenant_admin));
    await request(api.app).get(`/api/v1/messages/${rows[0]!.id}/media`).set(other).expect(404);
  });

  it('when a customer replies STOP, then they are opted out on WhatsApp with one confirmation, sent through the linked number', async () => {
    const customer = '+14155550125';
    network.deliver(tenant().id, { from: customer, text: 'stop' });
    const contactId = await contactIdOf(customer);
    await eventually(async () => (network.sendsTo(customer).length === 1 ? true : undefined), 10_000);
    expect(network.sendsTo(customer)[0]!.text).to.match(/unsubscribed/);
    const contact = await request(api.app).get(`/api/v1/contacts/${contactId}`).set(admin()).expect(200);
    expect(contact.body.consent.find((c: { channel: string }) => c.channel === 'whatsapp')).to.include({ state: 'opted_out' });
  });

  it('when several replies go to one chat at once, then the chat pace spaces them out', async () => {
    const customer = '+14155550126';
    network.deliver(tenant().id, { from: customer, text: 'I have three questions' });
    const contactId = await contactIdOf(customer);
    for (const body of ['One', 'Two', 'Three']) await request(api.app).post('/api/v1/messages').set(admin()).send({ contactId, channel: 'whatsapp', body }).expect(201);
    const sends = await eventually(async () => (network.sendsTo(customer).length === 3 ? network.sendsTo(customer) : undefined), 15_000);
    const gaps = sends.slice(1).map((s, i) => s.at - sends[i]!.at);
    expect(Math.min(...gaps), `gaps ${gaps.join(', ')} ms at 2 messages/s per chat`).to.be.greaterThanOrEqual(400);
  });

  it('when replies to several customers go out at once at the tenant\'s pace of 2 per second for WhatsApp, then the number sends them ~0.5 s apart', async () => {
    await request(api.app).put('/api/v1/messaging-settings/pacing').set(admin()).send({ pacing: [{ channel: 'whatsapp', sender: null, messagesPerSecond: 2 }] }).expect(200);
    const customers = ['+14155550131', '+14155550132', '+14155550133'];
    const contactIds: string[] = [];
    for (const customer of customers) {
      network.deliver(tenant().id, { from: customer, text: 'Do you have a slot tomorrow?' });
      contactIds.push(await contactIdOf(customer));
    }
    await Promise.all(contactIds.map((contactId) => request(api.app).post('/api/v1/messages').set(admin()).send({ contactId, channel: 'whatsapp', body: 'Yes, 10am.' }).expect(201)));
    const sends = await eventually(async () => {
      const all = network.sends.filter((s) => customers.includes(s.to));
      return all.length === 3 ? all : undefined;
    }, 15_000);
    expect(new Set(sends.map((s) => s.to)).size, 'three different chats: only the number\'s pace applies').to.equal(3);
    const gaps = sends.slice(1).map((s, i) => s.at - sends[i]!.at);
    expect(Math.min(...gaps), `gaps ${gaps.join(', ')} ms at 2 messages/s per number`).to.be.greaterThanOrEqual(400);
    await request(api.app).put('/api/v1/messaging-settings/pacing').set(admin()).send({ pacing: [] }).expect(200);
    await new Promise((resolve) => setTimeout(resolve, 600)); // the slot reserved at that pace passes before the next story
  });

  it('when WhatsApp rate-limits the number, then the send waits and goes through once', async () => {
    const customer = '+14155550128';
    network.deliver(tenant().id, { from: customer, text: 'Still there?' });
    const contactId = await contactIdOf(customer);
    network.sendFailure = 'rate_limited';
    const sent = await request(api.app).post('/api/v1/messages').set(admin()).send({ contactId, channel: 'whatsapp', body: 'Yes! One moment.' }).expect(201);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(network.sendsTo(customer)).to.deep.equal([]);
    network.sendFailure = 'none';
    const message = await eventually(async () => { const m = await messageOf(sent.body.id); return m.status === 'sent' ? m : undefined; }, 10_000);
    expect(message.attempts).to.be.greaterThanOrEqual(2);
    expect(network.sendsTo(customer).map((s) => s.text)).to.deep.equal(['Yes! One moment.']);
  });

  it('when the tenant writes first to someone who never wrote to the number, then it is denied (WHATSAPP_COLD_CONTACT) and nothing is sent', async () => {
    const contact = await request(api.app).post('/api/v1/contacts').set(admin()).send({ phone: '+14155550127', name: 'Cold lead' }).expect(201);
    await request(api.app).post(`/api/v1/contacts/${contact.body.id}/consent`).set(admin())
      .send({ channel: 'whatsapp', kind: 'opt_in', source: 'form', wording: 'WhatsApp me', evidence: { formId: 'w1' } }).expect(201);
    const sent = await request(api.app).post('/api/v1/messages').set(admin()).send({ contactId: contact.body.id, channel: 'whatsapp', body: 'Special offer!' }).expect(201);
    expect(sent.body).to.deep.include({ status: 'denied' });
    expect(sent.body.policy.reason.code).to.equal('WHATSAPP_COLD_CONTACT');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(network.sendsTo('+14155550127')).to.deep.equal([]);
  });

  it('when the connection drops, then the worker reconnects with backoff and the number is open again', async () => {
    network.drop(tenant().id);
    await eventually(async () => ((await health()).state === 'connecting' ? true : undefined), 5_000, 10).catch(() => true);
    await eventually(async () => ((await health()).state === 'open' ? true : undefined), 5_000);
    expect((await sessionStates()).slice(-2)).to.deep.equal(['connecting', 'open']);
  });

  it('when the phone logs the device out, then whatsapp.session says logged_out, the auth state is gone and sends fail with that reason', async () => {
    const customer = '+14155550123';
    const [contact] = (await db.query(`SELECT id FROM contacts WHERE tenant_id = :t AND phone = :p`, { replacements: { t: tenant().id, p: customer } }))[0] as { id: string }[];
    network.logoutFromPhone(tenant().id);
    await eventually(async () => ((await health()).state === 'logged_out' ? true : undefined), 5_000);
    expect((await sessionStates()).at(-1)).to.equal('logged_out');
    const [auth] = (await db.query(`SELECT count(*)::int AS n FROM whatsapp_auth_entries WHERE tenant_id = :t`, { replacements: { t: tenant().id } })) as [{ n: number }[], unknown];
    expect(auth[0]!.n).to.equal(0);
    const sent = await request(api.app).post('/api/v1/messages').set(admin()).send({ contactId: contact!.id, channel: 'whatsapp', body: 'Are you still there?' }).expect(201);
    const failed = await eventually(async () => { const m = await messageOf(sent.body.id); return m.status === 'failed' ? m : undefined; }, 10_000);
    expect(failed.error.code).to.equal('whatsapp_session_logged_out');
  });

  it('when WhatsApp bans the number, then the session says banned with a warning and stays down', async () => {
    await request(api.app).post('/api/v1/whatsapp/linked-device/pair').set(admin()).send({ phoneNumber: phone }).expect(202);
    await readEvents(`${baseUrl}/api/v1/whatsapp/linked-device/events`, admin(), (event) => {
      if (event.event === 'pairing_code') void network.scan(tenant().id, phone).catch(() => undefined);
    });
    expect(network.pairingCodes.at(-1)).to.include({ tenantId: tenant().id, phone });
    expect((await health()).state).to.equal('open');
    const connects = network.connects.get(tenant().id)!;
    network.ban(tenant().id);
    const banned = await eventually(async () => { const h = await health(); return h.state === 'banned' ? h : undefined; }, 5_000);
    expect(banned.warnings.join(' ')).to.match(/restricted/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(network.connects.get(tenant().id), 'no reconnect after a ban').to.equal(connects);
    expect((await sessionStates()).at(-1)).to.equal('banned');
    const [contact] = (await db.query(`SELECT id FROM contacts WHERE tenant_id = :t AND phone = '+14155550123'`, { replacements: { t: tenant().id } }))[0] as { id: string }[];
    const sent = await request(api.app).post('/api/v1/messages').set(admin()).send({ contactId: contact!.id, channel: 'whatsapp', body: 'Hello?' }).expect(201);
    const failed = await eventually(async () => { const m = await messageOf(sent.body.id); return m.status === 'failed' ? m : undefined; }, 10_000);
    expect(failed.error.code, 'sends stop with the reason, not retried').to.equal('whatsapp_session_banned');
    expect(failed.attempts).to.equal(1);
    const other = api.signIn(memberPrincipal(world.id, world.tenants[1].users.tenant_admin));
    expect((await request(api.app).get('/api/v1/whatsapp/linked-device').set(other).expect(200)).body.state).to.equal('not_linked');
    void scope;
  });
});
