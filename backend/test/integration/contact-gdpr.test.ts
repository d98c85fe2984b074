import { expect } from 'chai';
import { QueryTypes, type Sequelize } from 'sequelize';
import request from 'supertest';
import { createAgencyWorld, superuserSequelize, type WorldAgency, type WorldTenant } from '../support/accounts-world.js';
import { insertBooking } from '../support/booking-world.js';
import { freshPhone } from '../support/messaging-world.js';
import { memberPrincipal, TestApi } from '../support/test-api.js';

type Person = { id: string; phone: string; messageId: string; name: string; email: string };
let people = 0;
/** A name no other test uses, so "nothing mentions it any more" means something. */
const nameFor = (first: string) => `${first} Example${Date.now() % 100_000}x${(people += 1)}`;

describe('contact GDPR: export and erasure', () => {
  let db: Sequelize;
  let api: TestApi;
  let world: WorldAgency;
  let tenantA: WorldTenant;
  let tenantB: WorldTenant;
  const as = (tenant: WorldTenant, role: 'tenant_admin' | 'tenant_member' = 'tenant_admin') => api.signIn(memberPrincipal(world.id, tenant.users[role]));
  const rows = <T extends object>(sql: string, replacements: Record<string, unknown>) => db.query<T>(sql, { replacements, type: QueryTypes.SELECT });
  const exportOf = async (tenant: WorldTenant, contactId: string) => (await request(api.app).get(`/api/v1/contacts/${contactId}/export`).set(as(tenant)).expect(200)).body;

  /** A person as the tenant knows them: consent with evidence, a note, an activity, a message, a missed call and a booking. */
  async function personIn(tenant: WorldTenant, input: { phone: string; name: string; optOut?: boolean }): Promise<Person> {
    const admin = as(tenant);
    const email = `${input.name.replace(/\W/g, '.').toLowerCase()}@example.test`;
    const contact = (await request(api.app).post('/api/v1/contacts').set(admin).send({ phone: input.phone, name: input.name, email }).expect(201)).body;
    const base = `/api/v1/contacts/${contact.id}`;
    await request(api.app).post(`${base}/consent`).set(admin).send({ channel: 'sms', kind: 'opt_in', source: 'form', wording: `Text me, ${input.name}`, evidence: { formId: 'f1' } }).expect(201);
    await request(api.app).post(`${base}/notes`).set(admin).send({ body: `${input.name} is allergic to latex` }).expect(201);
    await request(api.app).post(`${base}/activities`).set(admin).send({ type: 'form.submitted', data: { answer: `${input.name} wants Friday` } }).expect(201);
    const message = (await request(api.app).post('/api/v1/messages').set(admin).send({ contactId: contact.id, channel: 'sms', body: `Hi ${input.name}, your cleaning is on Friday` }).expect(201)).body;
    const target = { agencyId: world.id, tenantId: tenant.id };
    await db.query(`INSERT INTO call_logs (agency_id, tenant_id, provider, direction, from_number, to_number, status, outcome, spoken_message)
      VALUES (:agencyId, :tenantId, 'twilio', 'inbound', :phone, '+14155550000', 'no-answer', 'missed', :spoken)`, { replacements: { ...target, phone: input.phone, spoken: `Sorry we missed you, ${input.name}` } });
    const booking = await insertBooking(db, target);
    await db.query('UPDATE bookings SET contact_id = :contactId, notes = :notes WHERE id = :id', { replacements: { id: booking.id, contactId: contact.id, notes: `${input.name} prefers the back door` } });
    if (input.optOut) await request(api.app).post(`${base}/consent`).set(admin).send({ channel: 'sms', kind: 'opt_out', source: 'manual' }).expect(201);
    return { id: contact.id, phone: input.phone, messageId: message.id, name: input.name, email };
  }

  /** Rows of the tenant, in any table that held something about a person, that still mention `text`. */
  async function mentionsIn(tenant: WorldTenant, text: string): Promise<string[]> {
    const found = await rows<{ source: string }>(
      `SELECT 'contacts' AS source FROM contacts WHERE tenant_id = :t AND concat_ws('|', name, email, phone, whatsapp_id, notes) LIKE :like
       UNION ALL SELECT 'messages' FROM messages WHERE tenant_id = :t AND concat_ws('|', body, from_address, to_address) LIKE :like
       UNION ALL SELECT 'contact_notes' FROM contact_notes WHERE tenant_id = :t AND body LIKE :like
       UNION ALL SELECT 'contact_activities' FROM contact_activities WHERE tenant_id = :t AND data::text LIKE :like
       UNION ALL SELECT 'call_logs' FROM call_logs WHERE tenant_id = :t AND concat_ws('|', from_number, to_number, spoken_message) LIKE :like
       UNION ALL SELECT 'bookings' FROM bookings WHERE tenant_id = :t AND notes LIKE :like
       UNION ALL SELECT 'event_outbox' FROM event_outbox WHERE tenant_id = :t AND data::text LIKE :like
       UNION ALL SELECT 'consent_suppressions' FROM consent_suppressions WHERE tenant_id = :t AND address_hash LIKE :like`,
      { t: tenant.id, like: `%${text}%` },
    );
    return found.map((row) => row.source);
  }

  before(async () => {
    db = superuserSequelize();
    api = TestApi.create();
    world = await createAgencyWorld(db);
    [tenantA, tenantB] = world.tenants as [WorldTenant, WorldTenant];
  });
  after(async () => {
    await api.close();
    await db.close();
  });

  it('when an admin exports a contact, then the document holds everything about them and nothing of another tenant with the same number', async () => {
    const phone = freshPhone();
    const erin = await personIn(tenantA, { phone, name: nameFor('Erin') });
    const other = await personIn(tenantB, { phone, name: nameFor('Otto') });

    const file = await exportOf(tenantA, erin.id);

    expect(file.contact).to.include({ id: erin.id, name: erin.name, email: erin.email, phone });
    expect(file.consent.map((c: { kind: string; wording: string }) => [c.kind, c.wording])).to.deep.equal([['opt_in', `Text me, ${erin.name}`]]);
    expect(file.messages.map((m: { body: string }) => m.body)).to.deep.equal([`Hi ${erin.name}, your cleaning is on Friday`]);
    expect(file.conversations).to.have.length(1);
    expect(file.notes.map((n: { body: string }) => n.body)).to.deep.equal([`${erin.name} is allergic to latex`]);
    expect(file.activities.map((a: { data: { answer: string } }) => a.data.answer)).to.deep.equal([`${erin.name} wants Friday`]);
    expect(file.calls.map((c: { from: string; outcome: string }) => [c.from, c.outcome])).to.deep.equal([[phone, 'missed']]);
    expect(file.bookings.map((b: { notes: string }) => b.notes)).to.deep.equal([`${erin.name} prefers the back door`]);
    const text = JSON.stringify(file);
    expect(text, 'tenant B’s contact with the same number is not in A’s export').not.to.include(other.name);
    expect(text).not.to.include(other.id);
    expect(text).not.to.include(other.messageId);
    const audit = await rows<{ action: string; tenantId: string }>(`SELECT action, tenant_id AS "tenantId" FROM audit_events WHERE target_id = :id`, { id: erin.id });
    expect(audit).to.deep.include({ action: 'contact.exported', tenantId: tenantA.id });
  });

  it('when tenant B or a team member asks for tenant A’s contact, then B finds no such contact and the member is refused', async () => {
    const erin = await personIn(tenantA, { phone: freshPhone(), name: nameFor('Erin') });
    await request(api.app).get(`/api/v1/contacts/${erin.id}/export`).set(as(tenantB)).expect(404);
    await request(api.app).post(`/api/v1/contacts/${erin.id}/erase`).set(as(tenantB)).send({ confirm: 'ERASE' }).expect(404);
    await request(api.app).get(`/api/v1/contacts/${erin.id}/export`).set(as(tenantA, 'tenant_member')).expect(403);
    await request(api.app).post(`/api/v1/contacts/${erin.id}/erase`).set(as(tenantA, 'tenant_member')).send({ confirm: 'ERASE' }).expect(403);
    expect((await exportOf(tenantA, erin.id)).contact, 'nothing was erased').to.include({ name: erin.name });
  });

  it('when an admin erases a contact, then their name, addresses and every text about them are gone, unsent messages fail, and the erasure is audited', async () => {
    const phone = freshPhone();
    const erin = await personIn(tenantA, { phone, name: nameFor('Erin') });
    const twin = await personIn(tenantB, { phone, name: nameFor('Tess') });
    await request(api.app).post(`/api/v1/contacts/${erin.id}/erase`).set(as(tenantA)).send({}).expect(400);
    expect(await mentionsIn(tenantA, phone), 'before: the number is on the contact, its message and the call').to.have.members(['contacts', 'messages', 'call_logs']);

    const erased = await request(api.app).post(`/api/v1/contacts/${erin.id}/erase`).set(as(tenantA)).send({ confirm: 'ERASE' }).expect(200);

    expect(erased.body).to.deep.equal({ contactId: erin.id, erased: true, optOutsKept: [] });
    for (const trace of [erin.name, erin.email, phone]) expect(await mentionsIn(tenantA, trace), trace).to.deep.equal([]);
    const file = await exportOf(tenantA, erin.id);
    expect(file.contact).to.include({ name: null, email: null, phone: null, leadStage: 'erased' });
    expect(file.messages.map((m: { body: string; to: string; status: string }) => [m.body, m.to, m.status])).to.deep.equal([['[erased]', '[erased]', 'failed']]);
    expect(file.notes).to.deep.equal([]);
    expect(file.consent.map((c: { kind: string }) => c.kind), 'the consent ledger is evidence and stays').to.deep.equal(['opt_in']);
    const outbox = await rows<{ n: number }>('SELECT count(*)::int AS n FROM message_outbox WHERE message_id = :id', { id: erin.messageId });
    expect(outbox[0]!.n, 'the unsent message left the send queue').to.equal(0);
    const audit = await rows<{ after: string }>(`SELECT after::text AS after FROM audit_events WHERE target_id = :id AND action = 'contact.erased'`, { id: erin.id });
    expect(audit).to.have.length(1);
    expect(audit[0]!.after, 'the audit entry holds none of the erased data').not.to.include(erin.name).and.not.to.include(phone);
    expect((await exportOf(tenantB, twin.id)).contact, 'tenant B’s contact with the same number is untouched').to.include({ name: twin.name, phone });
  });

  it('when a contact who opted out is erased, then only a hash of their number is kept, and a later send to that number is still denied until they opt in again', async () => {
    const phone = freshPhone();
    const erin = await personIn(tenantA, { phone, name: nameFor('Erin'), optOut: true });

    const erased = await request(api.app).post(`/api/v1/contacts/${erin.id}/erase`).set(as(tenantA)).send({ confirm: 'ERASE' }).expect(200);

    expect(erased.body.optOutsKept).to.deep.equal(['sms']);
    expect(await mentionsIn(tenantA, phone.slice(1)), 'the number is nowhere in clear').to.deep.equal([]);
    const kept = await rows<{ hash: string }>('SELECT address_hash AS hash FROM consent_suppressions WHERE erased_contact_id = :id', { id: erin.id });
    expect(kept.map((k) => k.hash)).to.have.length(1).and.to.satisfy((hashes: string[]) => /^[0-9a-f]{64}$/.test(hashes[0]!));
    const again = await request(api.app).post('/api/v1/messages').set(as(tenantA)).send({ to: phone, channel: 'sms', body: 'We miss you!' }).expect(201);
    expect(again.body.status).to.equal('denied');
    expect(again.body.policy.reason.code).to.equal('OPTED_OUT');
    const newcomer = (await request(api.app).get('/api/v1/contacts/by-phone').query({ phone }).set(as(tenantA)).expect(200)).body;
    expect(newcomer.id).not.to.equal(erin.id);
    expect(newcomer.consent.find((c: { channel: string }) => c.channel === 'sms')).to.include({ state: 'opted_out', source: 'erased_contact' });

    const elsewhere = await request(api.app).post('/api/v1/messages').set(as(tenantB)).send({ to: phone, channel: 'sms', body: 'Hello from B' }).expect(201);
    expect(elsewhere.body.policy?.reason.code, 'another tenant’s sends are not affected').not.to.equal('OPTED_OUT');

    await request(api.app).post(`/api/v1/contacts/${newcomer.id}/consent`).set(as(tenantA)).send({ channel: 'sms', kind: 'opt_in', source: 'form', wording: 'Yes, text me again' }).expect(201);
    const welcome = await request(api.app).post('/api/v1/messages').set(as(tenantA)).send({ to: phone, channel: 'sms', body: 'Welcome back' }).expect(201);
    expect(welcome.body.status, 'their own later opt-in counts').not.to.equal('denied');
  });
});
