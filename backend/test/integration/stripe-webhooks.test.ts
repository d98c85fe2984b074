import { expect } from 'chai';
import Stripe from 'stripe';
import type { Sequelize } from 'sequelize';
import request from 'supertest';
import { createAgencyWorld, superuserSequelize, type WorldAgency } from '../support/accounts-world.js';
import { insertContact } from '../support/messaging-world.js';
import { providerFakes } from '../support/provider-fakes.js';
import { memberPrincipal, TestApi } from '../support/test-api.js';

const WEBHOOK_SECRET = 'whsec_test0000000000000000000000000001';

/** Stripe → payment.* events: a checkout on one of our links, signed exactly as Stripe signs (the SDK's own helper). */
describe('Stripe webhooks: signed checkout events become payment.* events once', () => {
  let db: Sequelize;
  let api: TestApi;
  let x: WorldAgency;
  let tenantId: string;
  let admin: Record<string, string>;
  const stripe = new Stripe('sk_test_signing_only');
  let sequence = 0;

  const checkoutEvent = (type: string, object: Record<string, unknown>) =>
    JSON.stringify({ id: `evt_test_${Date.now()}_${(sequence += 1)}`, object: 'event', type, created: Math.floor(Date.now() / 1000), data: { object } });
  const deliver = (path: string, payload: string, secret = WEBHOOK_SECRET) =>
    request(api.app).post(path).set('content-type', 'application/json')
      .set('stripe-signature', stripe.webhooks.generateTestHeaderString({ payload, secret })).send(payload);
  const paymentEvents = async () =>
    ((await db.query(`SELECT type, data FROM event_outbox WHERE tenant_id = :tenantId AND type LIKE 'payment.%' ORDER BY occurred_at`, {
      replacements: { tenantId },
    })) as [{ type: string; data: Record<string, unknown> }[], unknown])[0];

  before(async () => {
    db = superuserSequelize();
    api = TestApi.create();
    x = await createAgencyWorld(db);
    tenantId = x.tenants[0].id;
    admin = api.signIn(memberPrincipal(x.id, x.tenants[0].users.tenant_admin));
    const own = providerFakes().stripe.addAccount();
    const saved = await request(api.app).put('/api/v1/tenant/providers/stripe').set(admin).send({ secretKey: own.secretKey, webhookSecret: WEBHOOK_SECRET }).expect(200);
    expect(saved.body).to.deep.include({ webhookConfigured: true });
  });
  after(async () => {
    await api.close();
    await db.close();
  });

  it('when a checkout on our link is paid and Stripe delivers it twice, then one payment.succeeded names the link and the contact', async () => {
    const contact = await insertContact(db, { agencyId: x.id, tenantId });
    const link = await request(api.app).post('/api/v1/payment-links').set(admin)
      .send({ amount: 4900, currency: 'usd', description: 'Deposit', contactId: contact.id }).expect(201);
    const payload = checkoutEvent('checkout.session.completed', {
      id: 'cs_test_1', object: 'checkout.session', payment_link: link.body.providerLinkId, payment_status: 'paid', amount_total: 4900, currency: 'usd',
    });
    const path = `/webhooks/stripe/${x.id}/${tenantId}`;
    await deliver(path, payload).expect(200);
    await deliver(path, payload).expect(200);
    const events = await paymentEvents();
    expect(events).to.have.length(1);
    expect(events[0]!.type).to.equal('payment.succeeded');
    expect(events[0]!.data).to.deep.include({ paymentLinkId: link.body.id, contactId: contact.id, amount: 4900, currency: 'usd', checkoutSessionId: 'cs_test_1' });
  });

  it('when an async payment fails, then payment.failed; when Stripe sends an event we do not use, then 200 and nothing', async () => {
    const before = (await paymentEvents()).length;
    const path = `/webhooks/stripe/${x.id}/${tenantId}`;
    await deliver(path, checkoutEvent('checkout.session.async_payment_failed', { id: 'cs_test_2', object: 'checkout.session', payment_status: 'unpaid' })).expect(200);
    await deliver(path, checkoutEvent('customer.created', { id: 'cus_1', object: 'customer' })).expect(200);
    const after = await paymentEvents();
    expect(after.slice(before).map((e) => e.type)).to.deep.equal(['payment.failed']);
  });

  it('when the body is tampered with, signed with another secret, or sent for a tenant of another agency, then 403 and nothing is stored', async () => {
    const before = (await paymentEvents()).length;
    const payload = checkoutEvent('checkout.session.completed', { id: 'cs_test_3', object: 'checkout.session', payment_status: 'paid', amount_total: 100, currency: 'usd' });
    const header = stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET });
    const path = `/webhooks/stripe/${x.id}/${tenantId}`;
    await request(api.app).post(path).set('content-type', 'application/json').set('stripe-signature', header).send(payload.replace('"amount_total":100', '"amount_total":1')).expect(403);
    await deliver(path, payload, 'whsec_someone_else_000000000000').expect(403);
    await request(api.app).post(path).set('content-type', 'application/json').send(payload).expect(403);
    const other = await createAgencyWorld(db);
    await deliver(`/webhooks/stripe/${other.id}/${tenantId}`, payload).expect(403);
    expect((await paymentEvents()).length).to.equal(before);
  });
});
