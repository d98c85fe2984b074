import { expect } from 'chai';
import { QueryTypes, type Sequelize } from 'sequelize';
import request from 'supertest';
import { createSequelize } from '../../src/db/sequelize.js';
import { scopeRunner } from '../../src/db/tenant-scope.js';
import { createLogger } from '../../src/logger.js';
import { applyProviderStatus } from '../../src/modules/messages/apply-provider-status.js';
import { confirmSendPolicy } from '../../src/modules/messages/confirm-send-policy.js';
import type { MessagingDeps } from '../../src/modules/messages/messaging-deps.js';
import { receiveInbound, type InboundMessage } from '../../src/modules/messages/receive-inbound.js';
import { requestSend } from '../../src/modules/messages/request-send.js';
import { enqueueOutbox } from '../../src/modules/outbox/enqueue-outbox.js';
import { createAgencyWorld, superuserSequelize, type WorldAgency } from '../support/accounts-world.js';
import { testDatabase } from '../support/integration-hooks.js';
import { freshPhone, InMemoryEventBus, insertContact } from '../support/messaging-world.js';
import { actingAsPrincipal, memberPrincipal, TestApi } from '../support/test-api.js';

describe('messaging domain: contacts, consent, send policy, inbound keywords, statuses', () => {
  let db: Sequelize;
  let app: Sequelize;
  let api: TestApi;
  let x: WorldAgency;
  let scopeA: { agencyId: string; tenantId: string };
  let bus: InMemoryEventBus;
  let deps: MessagingDeps;
  let member: Record<string, string>;
  let now: Date;

  before(async () => {
    db = superuserSequelize();
    app = createSequelize(testDatabase().appUrl, createLogger({ logLevel: 'silent' }));
    api = TestApi.create();
    x = await createAgencyWorld(db);
    scopeA = { agencyId: x.id, tenantId: x.tenants[0].id };
    member = api.signIn(memberPrincipal(x.id, x.tenants[0].users.tenant_member));
  });
  beforeEach(() => {
    bus = new InMemoryEventBus();
    // Consent recorded through the API carries the real time, so the pinned clock starts at the real time
    // too (the ledger orders by when things happened); tests about the sending window pin it further on.
    now = new Date();
    deps = { runInScope: scopeRunner(app), events: bus, enqueueOutbox, now: () => now };
  });
  after(async () => {
    await api.close();
    await app.close();
    await db.close();
  });

  const count = async (sql: string, replacements: Record<string, unknown>) =>
    Number((await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM (${sql}) q`, { replacements, type: QueryTypes.SELECT }))[0]!.n);
  const messageRow = async (id: string) =>
    (await db.query<{ status: string; policy_reason: string; purpose: string }>('SELECT * FROM messages WHERE id = :id', { replacements: { id }, type: QueryTypes.SELECT }))[0]!;
  const optIn = (contactId: string) =>
    request(api.app).post(`/api/v1/contacts/${contactId}/consent`).set(member)
      .send({ channel: 'sms', kind: 'opt_in', source: 'form', wording: 'Text me about my appointments', evidence: { formId: 'booking' } }).expect(201);
  /** An inbound SMS arriving now (the clock moves to the real time, after any consent just recorded). */
  const inbound = (contact: { phone: string }, body: string, providerMessageId: string): InboundMessage => {
    now = new Date();
    return { ...scopeA, channel: 'sms', from: contact.phone, to: '+14155550000', body, providerMessageId, provider: 'twilio', receivedAt: now };
  };

  describe('contacts', () => {
    it('when the same number is saved as typed two ways, then it is one contact in E.164 with an inferred time zone, updated the second time', async () => {
      const first = await request(api.app).post('/api/v1/contacts').set(member).send({ phone: '(415) 555-0142', name: 'Dana' }).expect(201);
      const second = await request(api.app).post('/api/v1/contacts').set(member).send({ phone: '+1 415-555-0142', email: 'dana@example.test' }).expect(200);
      expect(second.body).to.include({ id: first.body.id, phone: '+14155550142', name: 'Dana', email: 'dana@example.test', country: 'US' });
      expect(second.body).to.include({ timeZone: 'America/Los_Angeles', timeZoneSource: 'inferred' });
    });

    it('when a time zone is set by hand, then a later save by phone keeps it, and null goes back to the inferred one', async () => {
      const saved = await request(api.app).post('/api/v1/contacts').set(member).send({ phone: '+1 212 555 0177' }).expect(201);
      expect(saved.body).to.include({ timeZone: 'America/New_York', timeZoneSource: 'inferred' });
      await request(api.app).patch(`/api/v1/contacts/${saved.body.id}`).set(member).send({ timeZone: 'Europe/Lisbon' }).expect(200);
      const again = await request(api.app).post('/api/v1/contacts').set(member).send({ phone: '+12125550177', name: 'Ana' }).expect(200);
      expect(again.body).to.include({ timeZone: 'Europe/Lisbon', timeZoneSource: 'manual', name: 'Ana' });
      const reverted = await request(api.app).patch(`/api/v1/contacts/${saved.body.id}`).set(member).send({ timeZone: null }).expect(200);
      expect(reverted.body).to.include({ timeZone: 'America/New_York', timeZoneSource: 'inferred' });
    });

    it('when contacts are searched by name, email or phone digits, then matches come back; a bad number is a 400 naming the field', async () => {
      const saved = await request(api.app).post('/api/v1/contacts').set(member).send({ phone: '+44 20 7946 0321', name: 'Zebedee Quill', email: 'zq@example.test' }).expect(201);
      expect(saved.body).to.include({ country: 'GB', timeZone: 'Europe/London' });
      for (const q of ['zebedee', 'ZQ@EXAMPLE', '7946 0321']) {
        const res = await request(api.app).get('/api/v1/contacts').query({ q }).set(member).expect(200);
        expect(res.body.contacts.map((c: { id: string }) => c.id), q).to.deep.equal([saved.body.id]);
      }
      const bad = await request(api.app).post('/api/v1/contacts').set(member).send({ phone: '12' }).expect(400);
      expect(bad.body.error.details[0].path).to.equal('body.phone');
    });

    it("when tenant A asks for tenant B's contact, consent or messages, then it is 404 and nothing of B is returned", async () => {
      const other = await insertContact(db, { agencyId: x.id, tenantId: x.tenants[1].id });
      await request(api.app).get(`/api/v1/contacts/${other.id}`).set(member).expect(404);
      await request(api.app).get(`/api/v1/contacts/${other.id}/consent`).set(member).expect(404);
      await request(api.app).post('/api/v1/messages').set(member).send({ contactId: other.id, channel: 'sms', body: 'hi' }).expect(404);
      const list = await request(api.app).get('/api/v1/contacts').query({ q: other.phone.slice(-7) }).set(member).expect(200);
      expect(list.body.contacts).to.deep.equal([]);
    });
  });

  describe('consent ledger', () => {
    it('when an opt-in with evidence and then an opt-out are recorded, then the history keeps both, the latest decides, and both are audited', async () => {
      const contact = await insertContact(db, scopeA);
      await optIn(contact.id);
      const out = await request(api.app).post(`/api/v1/contacts/${contact.id}/consent`).set(member).send({ channel: 'sms', kind: 'opt_out', source: 'call' }).expect(201);
      expect(out.body.consent.find((c: { channel: string }) => c.channel === 'sms').state).to.equal('opted_out');
      const history = await request(api.app).get(`/api/v1/contacts/${contact.id}/consent`).set(member).expect(200);
      expect(history.body.events.map((e: { kind: string }) => e.kind)).to.deep.equal(['opt_out', 'opt_in']);
      expect(history.body.events[1]).to.deep.include({ wording: 'Text me about my appointments', evidence: { formId: 'booking' }, source: 'form' });
      const audited = await db.query<{ action: string }>(`SELECT action FROM audit_events WHERE target_id = :id ORDER BY seq`, { replacements: { id: contact.id }, type: QueryTypes.SELECT });
      expect(audited.map((a) => a.action)).to.deep.equal(['consent.opted_in', 'consent.opted_out']);
      await request(api.app).post(`/api/v1/contacts/${contact.id}/consent`).set(member).send({ channel: 'sms', kind: 'opt_in', source: 'form' }).expect(400);
    });
  });

  describe('requestSend', () => {
    it('when the same Idempotency-Key is sent twice, then there is one message and one outbox row; the first answer is 201, the second 200', async () => {
      const contact = await insertContact(db, scopeA);
      await optIn(contact.id);
      const send = () => request(api.app).post('/api/v1/messages').set(member).set('Idempotency-Key', `key-${contact.id}`).send({ contactId: contact.id, channel: 'sms', body: 'See you at 3pm' });
      const first = await send().expect(201);
      const second = await send().expect(200);
      expect(second.body.id).to.equal(first.body.id);
      // Real clock here: queued, or deferred when it is night in Los Angeles; never denied.
      expect(first.body).to.deep.include({ to: contact.phone });
      expect(first.body.status).to.be.oneOf(['queued', 'deferred']);
      expect(first.body.policy.decision).to.be.oneOf(['allow', 'defer']);
      expect(await count(`SELECT id FROM messages WHERE contact_id = :c AND direction = 'outbound'`, { c: contact.id })).to.equal(1);
      expect(await count(`SELECT id FROM message_outbox WHERE message_id = :m`, { m: first.body.id })).to.equal(1);
    });

    it('when the same key races in parallel, then still one message and one outbox row', async () => {
      const contact = await insertContact(db, scopeA);
      const results = await Promise.all(
        Array.from({ length: 5 }, () => requestSend(deps, scopeA, { contactId: contact.id, channel: 'sms', body: 'race', idempotencyKey: `race-${contact.id}`, source: 'api' })),
      );
      expect(new Set(results.map((r) => r.message.id)).size).to.equal(1);
      expect(results.filter((r) => r.created)).to.have.length(1);
      expect(await count(`SELECT id FROM message_outbox WHERE message_id = :m`, { m: results[0]!.message.id })).to.equal(0 + (results[0]!.decision.decision === 'deny' ? 0 : 1));
    });

    it('when no opt-in exists for SMS, then the message is stored denied with the reason, and nothing is enqueued', async () => {
      const contact = await insertContact(db, scopeA);
      const { message, decision } = await requestSend(deps, scopeA, { contactId: contact.id, channel: 'sms', body: 'Promo!', source: 'api' });
      expect(decision).to.deep.include({ decision: 'deny' });
      expect(message.status).to.equal('denied');
      expect((await messageRow(message.id)).policy_reason).to.equal('CONSENT_REQUIRED');
      expect(await count(`SELECT id FROM message_outbox WHERE message_id = :m`, { m: message.id })).to.equal(0);
    });

    it('when it is 23:00 for the recipient, then the message is deferred to 08:00 their time and the outbox row waits until then', async () => {
      const contact = await insertContact(db, scopeA); // Los Angeles
      await optIn(contact.id);
      now = new Date('2026-06-11T06:00:00Z'); // 23:00 in Los Angeles
      const { message, decision } = await requestSend(deps, scopeA, { contactId: contact.id, channel: 'sms', body: 'Reminder', source: 'api' });
      expect(decision.decision).to.equal('defer');
      expect(decision.until?.toISOString()).to.equal('2026-06-11T15:00:00.000Z');
      expect(message).to.deep.include({ status: 'deferred' });
      const [outbox] = await db.query<{ available_at: Date }>('SELECT available_at FROM message_outbox WHERE message_id = :m', { replacements: { m: message.id }, type: QueryTypes.SELECT });
      expect(outbox!.available_at.toISOString()).to.equal('2026-06-11T15:00:00.000Z');
    });

    it('when a deferred message comes due after the contact opted out, then the re-check denies it; otherwise it is cleared to send', async () => {
      const [stays, leaves] = [await insertContact(db, scopeA), await insertContact(db, scopeA)];
      for (const c of [stays, leaves]) await optIn(c.id);
      now = new Date('2026-06-11T06:00:00Z');
      const deferred = await Promise.all([stays, leaves].map((c) => requestSend(deps, scopeA, { contactId: c.id, channel: 'sms', body: 'Reminder', source: 'api' })));
      await request(api.app).post(`/api/v1/contacts/${leaves.id}/consent`).set(member).send({ channel: 'sms', kind: 'opt_out', source: 'manual' }).expect(201);
      now = new Date('2026-06-11T15:00:00Z');
      const go = await confirmSendPolicy(deps, { ...scopeA, messageId: deferred[0]!.message.id });
      const stop = await confirmSendPolicy(deps, { ...scopeA, messageId: deferred[1]!.message.id });
      expect(go).to.deep.include({ action: 'send' });
      expect(go.message?.status).to.equal('queued');
      expect(stop).to.deep.include({ action: 'skip' });
      expect(await messageRow(deferred[1]!.message.id)).to.deep.include({ status: 'denied', policy_reason: 'OPTED_OUT' });
    });
  });

  describe('receiveInbound', () => {
    it('when the provider delivers the same message 3 times (even at once), then it is stored once and published once', async () => {
      const contact = { phone: freshPhone() };
      const id = `SM${Date.now()}dup`;
      const outcomes = [await receiveInbound(deps, inbound(contact, 'Hi, can I book for Friday?', id))];
      outcomes.push(...(await Promise.all([1, 2].map(() => receiveInbound(deps, inbound(contact, 'Hi, can I book for Friday?', id))))));
      expect(outcomes.map((o) => o.duplicate)).to.deep.equal([false, true, true]);
      expect(new Set(outcomes.map((o) => o.message.id)).size).to.equal(1);
      expect(await count(`SELECT id FROM messages WHERE provider_message_id = :id`, { id })).to.equal(1);
      expect(bus.ofType('message.received')).to.have.length(1);
      const contacts = await count(`SELECT id FROM contacts WHERE tenant_id = :t AND phone = :p`, { t: scopeA.tenantId, p: contact.phone });
      expect(contacts).to.equal(1);
    });

    it('when a contact texts " Stop. ", then they are opted out with one confirmation; a second STOP gets silence; the next send is denied with the reason stored', async () => {
      const contact = await insertContact(db, scopeA);
      await optIn(contact.id);
      const stop = await receiveInbound(deps, inbound(contact, ' Stop. ', `SM${contact.id}-1`));
      expect(stop.keyword).to.deep.equal({ intent: 'opt_out', keyword: 'STOP' });
      expect(stop.replies).to.have.length(1);
      expect(stop.replies[0]).to.deep.include({ purpose: 'opt_out_confirmation', status: 'queued' });
      expect(await count(`SELECT id FROM message_outbox WHERE message_id = :m`, { m: stop.replies[0]!.id })).to.equal(1);
      const again = await receiveInbound(deps, inbound(contact, 'STOP', `SM${contact.id}-2`));
      expect(again.replies).to.deep.equal([]);
      const next = await requestSend(deps, scopeA, { contactId: contact.id, channel: 'sms', body: 'We miss you!', source: 'agent' });
      expect(next.message.status).to.equal('denied');
      expect(await messageRow(next.message.id)).to.deep.include({ status: 'denied', policy_reason: 'OPTED_OUT' });
      const confirmations = await count(`SELECT id FROM messages WHERE contact_id = :c AND purpose = 'opt_out_confirmation'`, { c: contact.id });
      expect(confirmations).to.equal(1);
      expect(bus.ofType('contact.opted_out')).to.have.length(1);
      const ledger = await count(`SELECT id FROM consent_events WHERE contact_id = :c AND kind = 'opt_out' AND source = 'keyword'`, { c: contact.id });
      expect(ledger).to.equal(2); // both STOPs are evidence; only the first changed anything
    });

    it('when an opted-out contact texts HELP, then the help text goes out; START opts them back in with a confirmation', async () => {
      const contact = await insertContact(db, scopeA);
      await receiveInbound(deps, inbound(contact, 'stop all', `SM${contact.id}-a`));
      const help = await receiveInbound(deps, inbound(contact, 'Help?', `SM${contact.id}-b`));
      expect(help.replies.map((r) => [r.purpose, r.status])).to.deep.equal([['help_reply', 'queued']]);
      expect(help.replies[0]!.body).to.match(/STOP/);
      const start = await receiveInbound(deps, inbound(contact, 'START', `SM${contact.id}-c`));
      expect(start.replies.map((r) => r.purpose)).to.deep.equal(['opt_in_confirmation']);
      const sent = await requestSend(deps, scopeA, { contactId: contact.id, channel: 'sms', body: 'Welcome back', source: 'agent' });
      expect(sent.message.status).to.equal('queued');
    });

    it('when a contact answers "Yes" to a question, then it is an ordinary reply (not an opt-in keyword), and our reply is allowed as transactional', async () => {
      const contact = { phone: freshPhone() };
      const yes = await receiveInbound(deps, inbound(contact, 'Yes', `SM${contact.phone}-yes`));
      expect(yes.keyword).to.equal(undefined);
      const reply = await requestSend(deps, scopeA, { contactId: yes.message.contactId, channel: 'sms', body: 'Great, booked!', source: 'agent' });
      expect(reply.decision.reason.code).to.equal('ALLOWED_TRANSACTIONAL');
    });
  });

  describe('applyProviderStatus', () => {
    it('when callbacks arrive out of order, then the status only moves forward and each real change is published', async () => {
      const contact = await insertContact(db, scopeA);
      await optIn(contact.id);
      now = new Date('2026-06-10T18:00:00Z'); // 11:00 in Los Angeles: inside the window
      const { message } = await requestSend(deps, scopeA, { contactId: contact.id, channel: 'sms', body: 'Status test', source: 'api' });
      const update = (status: 'sent' | 'delivered' | 'failed', providerMessageId = `SM-${message.id}`) =>
        applyProviderStatus(deps, { ...scopeA, provider: 'twilio', providerMessageId, messageId: message.id, status, at: now });
      expect((await update('delivered')).changed).to.equal(true);
      expect((await update('sent')).changed).to.equal(false);
      expect((await update('failed')).changed).to.equal(false);
      const detail = await request(api.app).get(`/api/v1/messages/${message.id}`).set(member).expect(200);
      expect(detail.body).to.deep.include({ status: 'delivered', providerMessageId: `SM-${message.id}` });
      expect(detail.body.history.map((h: { status: string }) => h.status)).to.deep.equal(['queued', 'delivered']);
      expect(bus.ofType('message.status').map((e) => e.data.status)).to.deep.equal(['queued', 'delivered']);
      const byProviderId = await applyProviderStatus(deps, { ...scopeA, provider: 'twilio', providerMessageId: `SM-${message.id}`, status: 'read', at: now });
      expect(byProviderId.message?.status).to.equal('read');
    });
  });

  describe('API reads', () => {
    it('when staff act as the tenant, then conversations list and a conversation shows its messages oldest first', async () => {
      const contact = { phone: freshPhone() };
      const first = await receiveInbound(deps, inbound(contact, 'Hello?', `SM${contact.phone}-1`));
      await requestSend(deps, scopeA, { contactId: first.message.contactId, channel: 'sms', body: 'Hi! How can we help?', source: 'agent' });
      const staff = api.signIn(actingAsPrincipal(x.id, x.operator, scopeA.tenantId));
      const list = await request(api.app).get('/api/v1/conversations').query({ contactId: first.message.contactId }).set(staff).expect(200);
      expect(list.body.conversations).to.have.length(1);
      const messages = await request(api.app).get(`/api/v1/conversations/${list.body.conversations[0].id}/messages`).set(staff).expect(200);
      expect(messages.body.messages.map((m: { direction: string }) => m.direction)).to.deep.equal(['inbound', 'outbound']);
      await request(api.app).get('/api/v1/messages/dead-letters').set(staff).expect(200);
    });
  });
});
