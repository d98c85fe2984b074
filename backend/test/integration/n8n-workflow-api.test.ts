import { expect } from 'chai';
import type { Sequelize } from 'sequelize';
import request from 'supertest';
import { N8N_TOKEN_PERMISSIONS } from '../../src/modules/service-tokens/provision-n8n-token.js';
import { createAgencyWorld, superuserSequelize, type WorldAgency } from '../support/accounts-world.js';
import { freshPhone, insertContact } from '../support/messaging-world.js';
import { providerFakes } from '../support/provider-fakes.js';
import { insertToken } from '../support/route-cases.js';
import { memberPrincipal, TestApi } from '../support/test-api.js';
import { usageRowsOf } from '../support/workflow-world.js';

// The routes n8n's Switchboard nodes call (docs/n8n-api.md), driven the way n8n drives them: an agency
// token naming the tenant in x-switchboard-tenant. Cross-tenant refusals are in the authorization matrices.
describe('n8n workflow API: contact lookup and timeline, AI generate, payment links', () => {
  let db: Sequelize;
  let api: TestApi;
  let x: WorldAgency;
  let n8n: Record<string, string>;
  let tenantId: string;

  before(async () => {
    db = superuserSequelize();
    api = TestApi.create();
    x = await createAgencyWorld(db);
    tenantId = x.tenants[0].id;
    const { token } = await insertToken(db, { agencyId: x.id, tenantId: null, permissions: N8N_TOKEN_PERMISSIONS });
    n8n = { authorization: `Bearer ${token}`, 'x-switchboard-tenant': tenantId };
  });
  afterEach(() => {
    providerFakes().openai.reset();
    providerFakes().stripe.faults.reset();
  });
  after(async () => {
    await api.close();
    await db.close();
  });

  const http = () => request(api.app);

  describe('contacts', () => {
    it('when a number is looked up as typed, then the contact with that E.164 number comes back with its consent', async () => {
      const created = await http().post('/api/v1/contacts').set(n8n).send({ phone: freshPhone(), name: 'Dana' }).expect(201);
      const local = created.body.phone.replace(/^\+1(\d{3})(\d{3})(\d{4})$/, '($1) $2-$3');
      const found = await http().get('/api/v1/contacts/by-phone').query({ phone: local }).set(n8n).expect(200);
      expect(found.body).to.deep.include({ id: created.body.id, phone: created.body.phone, name: 'Dana' });
      expect(found.body.consent).to.be.an('array');
    });

    it('when no contact has the number, then 404; when the number is unreadable, then 400 on query.phone', async () => {
      const missing = await http().get('/api/v1/contacts/by-phone').query({ phone: freshPhone() }).set(n8n).expect(404);
      expect(missing.body.error.code).to.equal('NOT_FOUND');
      const bad = await http().get('/api/v1/contacts/by-phone').query({ phone: '12345' }).set(n8n).expect(400);
      expect(bad.body.error.details[0]).to.deep.include({ path: 'query.phone', code: 'invalid_phone' });
    });

    it('when the lead stage is set, then PATCH changes it', async () => {
      const contact = await insertContact(db, { agencyId: x.id, tenantId });
      const res = await http().patch(`/api/v1/contacts/${contact.id}`).set(n8n).send({ leadStage: 'booked' }).expect(200);
      expect(res.body.leadStage).to.equal('booked');
    });

    it('when notes are added, then they are listed newest first with their author (the token)', async () => {
      const contact = await insertContact(db, { agencyId: x.id, tenantId });
      await http().post(`/api/v1/contacts/${contact.id}/notes`).set(n8n).send({ body: 'First call' }).expect(201);
      const second = await http().post(`/api/v1/contacts/${contact.id}/notes`).set(n8n).send({ body: 'Wants Friday' }).expect(201);
      expect(second.body.author.type).to.equal('service');
      const list = await http().get(`/api/v1/contacts/${contact.id}/notes`).set(n8n).expect(200);
      expect(list.body.notes.map((n: { body: string }) => n.body)).to.deep.equal(['Wants Friday', 'First call']);
    });

    it('when an activity is logged twice with one Idempotency-Key, then one activity exists and the second answer is 200', async () => {
      const contact = await insertContact(db, { agencyId: x.id, tenantId });
      const body = { type: 'follow_up.outcome', data: { outcome: 'no_answer', attempt: 2 }, occurredAt: '2030-01-02T10:00:00.000Z' };
      const first = await http().post(`/api/v1/contacts/${contact.id}/activities`).set(n8n).set('Idempotency-Key', 'exec-1-node-2-item-0').send(body).expect(201);
      const again = await http().post(`/api/v1/contacts/${contact.id}/activities`).set(n8n).set('Idempotency-Key', 'exec-1-node-2-item-0').send(body).expect(200);
      expect(again.body.id).to.equal(first.body.id);
      await http().post(`/api/v1/contacts/${contact.id}/activities`).set(n8n).send({ type: 'booking.requested' }).expect(201);
      const filtered = await http().get(`/api/v1/contacts/${contact.id}/activities`).query({ type: 'follow_up.outcome' }).set(n8n).expect(200);
      expect(filtered.body.activities).to.have.length(1);
      expect(filtered.body.activities[0]).to.deep.include({ type: 'follow_up.outcome', data: body.data, occurredAt: body.occurredAt });
    });

    it('when an activity type or data is malformed, then 400 names the field', async () => {
      const contact = await insertContact(db, { agencyId: x.id, tenantId });
      const badType = await http().post(`/api/v1/contacts/${contact.id}/activities`).set(n8n).send({ type: 'Follow Up' }).expect(400);
      expect(badType.body.error.details[0].path).to.equal('body.type');
      const big = await http().post(`/api/v1/contacts/${contact.id}/activities`).set(n8n).send({ type: 'x.y', data: { blob: 'a'.repeat(17_000) } }).expect(400);
      expect(big.body.error.details[0].path).to.match(/^body\.data/);
    });
  });

  describe('AI generate', () => {
    it('when a reply is drafted, then the text comes back and one usage row meters the tokens', async () => {
      providerFakes().openai.respond({ reply: '  Friday at 10 works, see you then!  ', usage: { promptTokens: 1000, completionTokens: 200 } });
      const res = await http().post('/api/v1/ai/generate').set(n8n)
        .send({ task: 'reply_draft', text: 'Can I come Friday?', context: 'Open Fri 9-17', reference: 'exec-42' }).expect(200);
      expect(res.body).to.deep.include({ task: 'reply_draft', text: 'Friday at 10 works, see you then!', label: null, model: 'gpt-4o-mini' });
      // gpt-4o-mini list price: $0.15 / $0.60 per million tokens
      expect(res.body.usage).to.deep.equal({ inputTokens: 1000, outputTokens: 200, estimatedCostUsd: 0.00027 });
      const rows = await usageRowsOf(db, tenantId);
      const row = rows.find((r) => r.id === res.body.usageEventId)!;
      expect(row).to.deep.include({ kind: 'llm.tokens', source: 'n8n', model: 'gpt-4o-mini', input_tokens: 1000, output_tokens: 200, reference: 'exec-42', actor_type: 'service' });
      expect(Number(row.estimated_cost_micros)).to.equal(270);
      const sent = providerFakes().openai.completions[0]!;
      expect(sent.messages[1]!.content).to.include('Open Fri 9-17');
    });

    it("when the tenant has AI settings, then its model and instructions are used", async () => {
      const admin = api.signIn(memberPrincipal(x.id, x.tenants[0].users.tenant_admin));
      await http().put('/api/v1/ai/settings').set(admin).send({ model: 'gpt-4.1-mini', instructions: 'Always sign as Dr. Lee.' }).expect(200);
      try {
        await http().post('/api/v1/ai/generate').set(n8n).send({ task: 'summary', text: 'Long call transcript' }).expect(200);
        const sent = providerFakes().openai.completions[0]!;
        expect(sent.model).to.equal('gpt-4.1-mini');
        expect(sent.messages[0]!.content).to.include('Always sign as Dr. Lee.');
      } finally {
        await http().put('/api/v1/ai/settings').set(admin).send({ model: null, instructions: null }).expect(200);
      }
    });

    it('when text is classified, then the answer is matched to one of the labels', async () => {
      providerFakes().openai.respond({ reply: 'Interested.' });
      const res = await http().post('/api/v1/ai/generate').set(n8n)
        .send({ task: 'classify', text: 'Yes please book me', labels: ['interested', 'not_interested', 'callback'] }).expect(200);
      expect(res.body).to.deep.include({ label: 'interested' });
      expect(providerFakes().openai.completions[0]!.temperature).to.equal(0);
    });

    it('when classify has no labels or another task has labels, then 400 on body.labels', async () => {
      const res = await http().post('/api/v1/ai/generate').set(n8n).send({ task: 'classify', text: 'hi' }).expect(400);
      expect(res.body.error.details[0].path).to.equal('body.labels');
      await http().post('/api/v1/ai/generate').set(n8n).send({ task: 'summary', text: 'hi', labels: ['a', 'b'] }).expect(400);
    });

    it('when the LLM refuses the key, then 502 UPSTREAM_FAILED with reason llm_invalid_key and nothing is metered', async () => {
      const wrongKey = TestApi.create({ LLM_API_KEY: 'sk-wrong' });
      try {
        const before = (await usageRowsOf(db, tenantId)).length;
        const res = await request(wrongKey.app).post('/api/v1/ai/generate').set(n8n).send({ task: 'summary', text: 'hi' }).expect(502);
        expect(res.body.error).to.deep.include({ code: 'UPSTREAM_FAILED' });
        expect(res.body.error.details).to.deep.include({ reason: 'llm_invalid_key', providerStatus: 401 });
        expect((await usageRowsOf(db, tenantId)).length).to.equal(before);
      } finally {
        await wrongKey.close();
      }
    });

    it('when the LLM stays rate limited, then 503 with reason llm_rate_limited and Retry-After', async () => {
      providerFakes().openai.respond(...Array.from({ length: 3 }, () => ({ error: { status: 429 }, retryAfterSeconds: 0 })));
      const res = await http().post('/api/v1/ai/generate').set(n8n).send({ task: 'summary', text: 'hi' }).expect(503);
      expect(res.body.error.details.reason).to.equal('llm_rate_limited');
      expect(res.headers['retry-after']).to.equal('1');
    });

    it('when no LLM is configured, then 503 with reason llm_not_configured', async () => {
      const unconfigured = TestApi.create({ LLM_API_KEY: '' });
      try {
        const res = await request(unconfigured.app).post('/api/v1/ai/generate').set(n8n).send({ task: 'summary', text: 'hi' }).expect(503);
        expect(res.body.error.details.reason).to.equal('llm_not_configured');
      } finally {
        await unconfigured.close();
      }
    });
  });

  describe('payment links', () => {
    it('when a link is made for an amount, then Stripe has it and the same Idempotency-Key returns it without a second link', async () => {
      const contact = await insertContact(db, { agencyId: x.id, tenantId });
      const body = { amount: 4900, currency: 'USD', description: 'Deposit', contactId: contact.id, metadata: { source: 'missed_call' } };
      const first = await http().post('/api/v1/payment-links').set(n8n).set('Idempotency-Key', 'pl-exec-7').send(body).expect(201);
      expect(first.body).to.deep.include({ provider: 'stripe', amount: 4900, currency: 'usd', description: 'Deposit', quantity: 1, contactId: contact.id, active: true });
      expect(first.body.providerLinkId).to.match(/^plink_/);
      const linksBefore = providerFakes().stripe.paymentLinks().length;
      const again = await http().post('/api/v1/payment-links').set(n8n).set('Idempotency-Key', 'pl-exec-7').send(body).expect(200);
      expect(again.body.id).to.equal(first.body.id);
      expect(providerFakes().stripe.paymentLinks().length).to.equal(linksBefore);
      const stored = providerFakes().stripe.paymentLinks().find((l) => l.id === first.body.providerLinkId)!;
      expect(stored.metadata).to.deep.include({ source: 'missed_call', switchboard_tenant_id: tenantId, switchboard_contact_id: contact.id });
    });

    it('when a link is read, then active is refreshed from Stripe', async () => {
      const created = await http().post('/api/v1/payment-links').set(n8n).send({ amount: 1500, currency: 'usd', description: 'Visit' }).expect(201);
      providerFakes().stripe.paymentLinks().find((l) => l.id === created.body.providerLinkId)!.active = false;
      const read = await http().get(`/api/v1/payment-links/${created.body.id}`).set(n8n).expect(200);
      expect(read.body).to.deep.include({ id: created.body.id, active: false, refreshed: true });
    });

    it('when a price id is given, then the link sells that price; an unknown one is 502 payments_rejected', async () => {
      const stripeAccount = providerFakes().stripe.accounts.get(providerFakes().stripeSecretKey)!;
      stripeAccount.products.set('prod_fixed', { id: 'prod_fixed', name: 'Cleaning' });
      stripeAccount.prices.set('price_fixed', { id: 'price_fixed', object: 'price', currency: 'usd', unit_amount: 9900, product: 'prod_fixed' });
      const res = await http().post('/api/v1/payment-links').set(n8n).send({ priceId: 'price_fixed', quantity: 2 }).expect(201);
      expect(res.body).to.deep.include({ priceId: 'price_fixed', quantity: 2, amount: null });
      const rejected = await http().post('/api/v1/payment-links').set(n8n).send({ priceId: 'price_nope' }).expect(502);
      expect(rejected.body.error.details).to.deep.include({ reason: 'payments_rejected' });
    });

    it('when both a price id and an amount, or neither, are given, then 400', async () => {
      await http().post('/api/v1/payment-links').set(n8n).send({ priceId: 'price_fixed', amount: 100, currency: 'usd', description: 'x' }).expect(400);
      await http().post('/api/v1/payment-links').set(n8n).send({ amount: 100 }).expect(400);
    });

    it("when the tenant connects its own Stripe key, then links go to its account and the key is never shown", async () => {
      const admin = api.signIn(memberPrincipal(x.id, x.tenants[1].users.tenant_admin));
      const own = providerFakes().stripe.addAccount();
      const saved = await http().put('/api/v1/tenant/providers/stripe').set(admin).send({ secretKey: own.secretKey }).expect(200);
      expect(saved.body).to.deep.include({ provider: 'stripe', secretKeyLast4: own.secretKey.slice(-4), mode: 'test' });
      expect(JSON.stringify(saved.body)).not.to.include(own.secretKey);
      const [row] = (await db.query(`SELECT secret_ciphertext FROM provider_credentials WHERE tenant_id = :t AND provider = 'stripe'`, {
        replacements: { t: x.tenants[1].id },
      })) as [{ secret_ciphertext: string }[], unknown];
      expect(row[0]!.secret_ciphertext).to.match(/^v1\./).and.not.include(own.secretKey);
      const link = await http().post('/api/v1/payment-links').set({ ...n8n, 'x-switchboard-tenant': x.tenants[1].id })
        .send({ amount: 700, currency: 'usd', description: 'Own account' }).expect(201);
      expect(own.paymentLinks.has(link.body.providerLinkId)).to.equal(true);
    });

    it('when Stripe is down, then 503 payments_unavailable', async () => {
      providerFakes().stripe.faults.failNext(5, { status: 500 });
      const res = await http().post('/api/v1/payment-links').set(n8n).send({ amount: 700, currency: 'usd', description: 'Down' }).expect(503);
      expect(res.body.error.details.reason).to.equal('payments_unavailable');
    });
  });
});
