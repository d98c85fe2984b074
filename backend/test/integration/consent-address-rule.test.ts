import { expect } from 'chai';
import { QueryTypes, type Sequelize } from 'sequelize';
import request from 'supertest';
import { createAgencyWorld, superuserSequelize, type WorldAgency } from '../support/accounts-world.js';
import { freshPhone } from '../support/messaging-world.js';
import { memberPrincipal, TestApi } from '../support/test-api.js';

/** Issue 12 item 8: an opt-in is consent to be messaged at an address, so it needs one. */
describe('consent: an opt-in needs an address on its channel', () => {
  let db: Sequelize;
  let api: TestApi;
  let world: WorldAgency;
  let member: Record<string, string>;
  let chats = Math.floor(Math.random() * 1_000_000);

  before(async () => {
    db = superuserSequelize();
    api = TestApi.create();
    world = await createAgencyWorld(db);
    member = api.signIn(memberPrincipal(world.id, world.tenants[0].users.tenant_member));
  });
  after(async () => {
    await api.close();
    await db.close();
  });

  /** A contact who only ever wrote on Telegram: no phone, no WhatsApp id. */
  async function telegramOnlyContact(): Promise<string> {
    chats += 1;
    const [row] = await db.query<{ id: string }>(
      `INSERT INTO contacts (agency_id, tenant_id, telegram_chat_id, name) VALUES (:agencyId, :tenantId, :chat, 'Tele Gram') RETURNING id`,
      { replacements: { agencyId: world.id, tenantId: world.tenants[0].id, chat: String(chats) }, type: QueryTypes.SELECT },
    );
    return row!.id;
  }
  const record = (contactId: string, channel: string, kind: 'opt_in' | 'opt_out') =>
    request(api.app).post(`/api/v1/contacts/${contactId}/consent`).set(member)
      .send({ channel, kind, source: 'manual', ...(kind === 'opt_in' && { wording: 'Yes, message me' }) });
  const ledgerOf = async (contactId: string) =>
    (await db.query<{ channel: string; kind: string }>('SELECT channel, kind FROM consent_events WHERE contact_id = :contactId ORDER BY occurred_at, id', {
      replacements: { contactId }, type: QueryTypes.SELECT,
    })).map((e) => `${e.channel}:${e.kind}`);

  it('when a contact has no phone, then an SMS or WhatsApp opt-in is refused with a clear message on the channel field, and nothing is recorded', async () => {
    const contactId = await telegramOnlyContact();

    const sms = await record(contactId, 'sms', 'opt_in').expect(400);
    const whatsapp = await record(contactId, 'whatsapp', 'opt_in').expect(400);

    expect(sms.body.error.message).to.equal('This contact has no phone number, so an SMS opt-in cannot be recorded. Add their phone first.');
    expect(sms.body.error.details).to.deep.equal([{ path: 'body.channel', message: sms.body.error.message, code: 'no_address' }]);
    expect(whatsapp.body.error.message).to.match(/no WhatsApp-capable number/);
    expect(await ledgerOf(contactId)).to.deep.equal([]);
  });

  it('when a contact has a Telegram chat but no phone, then a Telegram opt-in is recorded and an SMS opt-out still is (an opt-out always wins)', async () => {
    const contactId = await telegramOnlyContact();

    await record(contactId, 'telegram', 'opt_in').expect(201);
    await record(contactId, 'sms', 'opt_out').expect(201);

    expect(await ledgerOf(contactId)).to.deep.equal(['telegram:opt_in', 'sms:opt_out']);
  });

  it('when a contact has a phone but never wrote on Telegram, then a Telegram opt-in is refused and SMS and WhatsApp opt-ins are recorded', async () => {
    const contact = (await request(api.app).post('/api/v1/contacts').set(member).send({ phone: freshPhone(), name: 'Phone Only' }).expect(201)).body as { id: string };

    const telegram = await record(contact.id, 'telegram', 'opt_in').expect(400);
    await record(contact.id, 'sms', 'opt_in').expect(201);
    await record(contact.id, 'whatsapp', 'opt_in').expect(201);

    expect(telegram.body.error.message).to.match(/no Telegram chat/);
    expect(await ledgerOf(contact.id)).to.deep.equal(['sms:opt_in', 'whatsapp:opt_in']);
  });

  it('when the only number is a landline, then a WhatsApp opt-in is refused while an SMS opt-in is recorded', async () => {
    // 020 7946 0xxx: the UK range kept for drama, a valid fixed line.
    const contact = (await request(api.app).post('/api/v1/contacts').set(member).send({ phone: '+44 20 7946 0123', name: 'Land Line' }).expect(201)).body as { id: string };

    const whatsapp = await record(contact.id, 'whatsapp', 'opt_in').expect(400);
    await record(contact.id, 'sms', 'opt_in').expect(201);

    expect(whatsapp.body.error.message).to.match(/no WhatsApp-capable number/);
    expect(await ledgerOf(contact.id)).to.deep.equal(['sms:opt_in']);
  });
});
