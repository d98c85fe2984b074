import { expect } from 'chai';
import type { Sequelize } from 'sequelize';
import request from 'supertest';
import { createAgencyWorld, superuserSequelize, type WorldAgency } from '../support/accounts-world.js';
import { freshPhone } from '../support/messaging-world.js';
import { memberPrincipal, TestApi } from '../support/test-api.js';

describe('contact privacy: GDPR export and erasure', () => {
  let db: Sequelize;
  let api: TestApi;
  let world: WorldAgency;
  const admin = () => api.signIn(memberPrincipal(world.id, world.tenants[0].users.tenant_admin));

  /** A contact with a message, a note, an activity and consent history, made through the API. */
  async function contactWithHistory(optOut: boolean): Promise<{ id: string; phone: string }> {
    const phone = freshPhone();
    const contact = (await request(api.app).post('/api/v1/contacts').set(admin()).send({ phone, name: 'Erin Example', email: 'erin@example.test' }).expect(201)).body;
    await request(api.app).post(`/api/v1/contacts/${contact.id}/consent`).set(admin()).send({ channel: 'sms', kind: 'opt_in', source: 'form', wording: 'Text me about my bookings', evidence: { formId: 'f1' } }).expect(201);
    await request(api.app).post(`/api/v1/contacts/${contact.id}/notes`).set(admin()).send({ body: 'Allergic to latex' }).expect(201);
    await request(api.app).post('/api/v1/messages').set(admin()).send({ contactId: contact.id, channel: 'sms', body: 'Hi Erin, your cleaning is on Friday' }).expect(201);
    if (optOut) await request(api.app).post(`/api/v1/contacts/${contact.id}/consent`).set(admin()).send({ channel: 'sms', kind: 'opt_out', source: 'manual' }).expect(201);
    return { id: contact.id, phone };
  }

  before(async () => {
    db = superuserSequelize();
    api = TestApi.create();
    world = await createAgencyWorld(db);
  });
  after(async () => {
    await api.close();
    await db.close();
  });

  it('when an admin exports a contact, then the document holds the contact, consent, messages and notes, and the export is audited; other tenants get 404', async () => {
    const contact = await contactWithHistory(false);
    const res = await request(api.app).get(`/api/v1/contacts/${contact.id}/export`).set(admin()).expect(200);
    expect(res.body.contact).to.include({ id: contact.id, name: 'Erin Example', email: 'erin@example.test', phone: contact.phone });
    expect(res.body.consent.map((c: { kind: string; wording: string }) => [c.kind, c.wording])).to.deep.equal([['opt_in', 'Text me about my bookings']]);
    expect(res.body.messages.map((m: { body: string }) => m.body)).to.deep.equal(['Hi Erin, your cleaning is on Friday']);
    expect(res.body.notes.map((n: { body: string }) => n.body)).to.deep.equal(['Allergic to latex']);
    const [audit] = (await db.query(`SELECT action FROM audit_events WHERE target_id = :id`, { replacements: { id: contact.id } })) as [{ action: string }[], unknown];
    expect(audit.map((a) => a.action)).to.include('contact.exported');
    const other = api.signIn(memberPrincipal(world.id, world.tenants[1].users.tenant_admin));
    await request(api.app).get(`/api/v1/contacts/${contact.id}/export`).set(other).expect(404);
    await request(api.app).get(`/api/v1/contacts/${contact.id}/export`).set(api.signIn(memberPrincipal(world.id, world.tenants[0].users.tenant_member))).expect(403);
  });

  it('when an admin erases a contact, then name, e-mail, notes and message texts are gone for good, and the erasure is audited', async () => {
    const contact = await contactWithHistory(false);
    await request(api.app).post(`/api/v1/contacts/${contact.id}/erase`).set(admin()).send({}).expect(400);
    const erased = await request(api.app).post(`/api/v1/contacts/${contact.id}/erase`).set(admin()).send({ confirm: 'ERASE' }).expect(200);
    expect(erased.body).to.deep.equal({ contactId: contact.id, erased: true, addressesKeptForOptOut: false });
    const after = (await request(api.app).get(`/api/v1/contacts/${contact.id}/export`).set(admin()).expect(200)).body;
    expect(after.contact).to.include({ name: null, email: null, phone: null, notes: null });
    expect(after.messages.map((m: { body: string; to: string }) => [m.body, m.to])).to.deep.equal([['[erased]', '[erased]']]);
    expect(after.notes).to.deep.equal([]);
    expect(after.consent.map((c: { kind: string }) => c.kind), 'the consent ledger is evidence and stays').to.deep.equal(['opt_in']);
    const [found] = (await db.query(`SELECT count(*)::int AS n FROM messages WHERE body LIKE '%Erin%' AND contact_id = :id`, { replacements: { id: contact.id } })) as [{ n: number }[], unknown];
    expect(found[0]!.n).to.equal(0);
    const [audit] = (await db.query(`SELECT after::text AS after FROM audit_events WHERE target_id = :id AND action = 'contact.erased'`, { replacements: { id: contact.id } })) as [{ after: string }[], unknown];
    expect(audit).to.have.length(1);
    expect(audit[0]!.after, 'the audit entry holds no erased data').not.to.match(/Erin|latex/);
  });

  it('when a contact who opted out is erased, then their number is kept only so the opt-out still holds: a new send to it is denied', async () => {
    const contact = await contactWithHistory(true);
    const erased = await request(api.app).post(`/api/v1/contacts/${contact.id}/erase`).set(admin()).send({ confirm: 'ERASE' }).expect(200);
    expect(erased.body.addressesKeptForOptOut).to.equal(true);
    const again = await request(api.app).post('/api/v1/messages').set(admin()).send({ to: contact.phone, channel: 'sms', body: 'We miss you!' }).expect(201);
    expect(again.body).to.deep.include({ status: 'denied' });
    expect(again.body.policy.reason.code).to.equal('OPTED_OUT');
    const after = (await request(api.app).get(`/api/v1/contacts/${contact.id}/export`).set(admin()).expect(200)).body;
    expect(after.contact).to.include({ name: null, email: null });
  });
});
