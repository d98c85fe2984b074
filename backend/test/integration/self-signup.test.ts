import { randomInt } from 'node:crypto';
import { expect } from 'chai';
import type { Sequelize } from 'sequelize';
import request from 'supertest';
import { clickButton, type FakeStripe } from '../../../tests/fakes/stripe/index.js';
import { loadConfig } from '../../src/config.js';
import { createContainer } from '../../src/container.js';
import { scopeRunner } from '../../src/db/tenant-scope.js';
import { checkEntitlement } from '../../src/modules/entitlements/check-entitlement.js';
import { createAgencyWorld, superuserSequelize, type WorldAgency } from '../support/accounts-world.js';
import { InMemoryMail } from '../support/in-memory-mail.js';
import { planBody } from '../support/plans-world.js';
import { providerFakes } from '../support/provider-fakes.js';
import { signupForm } from '../support/self-signup-world.js';
import { listen, newSigningSecret, saveAgencyStripe, subscriptionRowOf } from '../support/subscriptions-world.js';
import { memberPrincipal, testEnv, TestApi } from '../support/test-api.js';

const randomAddress = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
type Row = Record<string, unknown>;

/**
 * A business finds the agency's sign-up link, picks a plan, confirms its e-mail, lands signed in as the owner of
 * its new tenant and pays on the fake Stripe's Checkout page; Stripe's webhooks make the subscription active.
 * Client addresses come in X-Forwarded-For (the test app trusts loopback as the proxy), one per story.
 */
describe('Self sign-up (agency opt-in, e-mail verification, Checkout)', function () {
  this.timeout(60_000);
  let db: Sequelize;
  let api: TestApi;
  let app: { url: string; close(): Promise<void> };
  let fake: FakeStripe;
  let mail: InMemoryMail;
  let x: WorldAgency;
  let owner: Record<string, string>;
  let visitor: Record<string, string>;
  let runInScope: ReturnType<typeof scopeRunner>;

  before(async () => {
    db = superuserSequelize();
    mail = new InMemoryMail();
    // The real per-address limit is exercised here (the shared test env lifts it for the route matrices).
    const container = createContainer(loadConfig(testEnv({ RESET_REQUESTS_PER_ADDRESS: '5' })));
    container.mail = mail;
    api = new TestApi(container);
    app = await listen(api.app);
    fake = providerFakes().stripe;
    runInScope = scopeRunner(container.sequelize);
  });
  beforeEach(async () => {
    x = await createAgencyWorld(db);
    const key = fake.addAccount().secretKey;
    const webhookSecret = newSigningSecret();
    await saveAgencyStripe(db, x.id, { secretKey: key, webhookSecret });
    fake.addWebhookEndpoint(key, `${app.url}/webhooks/stripe-billing/${x.id}`, webhookSecret);
    owner = api.signIn(memberPrincipal(x.id, x.owner));
    visitor = { 'x-forwarded-for': randomAddress() };
  });
  after(async () => {
    await app.close();
    await api.close();
    await db.close();
  });

  const createPlan = async (overrides: Record<string, unknown> = {}) =>
    (await request(api.app).post('/api/v1/agency/plans').set(owner).send(planBody(overrides)).expect(201)).body.plan as { id: string; current: { id: string } };
  const enable = (planIds: string[]) => request(api.app).put('/api/v1/agency/billing/self-signup').set(owner).send({ enabled: true, planIds });
  const offer = () => request(api.app).get('/api/v1/signup').query({ agency: x.id }).set(visitor);
  const ask = (form: Record<string, unknown>, headers = visitor) => request(api.app).post('/api/v1/signup/requests').set(headers).send({ agencyId: x.id, ...form });
  const verify = (token: string) => request(api.app).post('/api/v1/signup/verify').set(visitor).send({ agencyId: x.id, token });
  const rows = async (sql: string, replacements: Record<string, unknown>) => ((await db.query(sql, { replacements })) as [Row[], unknown])[0];
  const tenantsNamed = (name: unknown) => rows('SELECT id, agency_id AS "agencyId", time_zone AS "timeZone" FROM tenants WHERE name = :name', { name });
  const mailTo = (to: unknown) => mail.sent.filter((m) => m.to === to);
  /** Lets the background mail promise settle. */
  const flush = () => new Promise((resolve) => setImmediate(resolve));

  it('when the agency has not turned sign-up on, then the page, the request and the settings say so (404, off by default)', async () => {
    const plan = await createPlan();
    await offer().expect(404);
    const refused = await ask(signupForm(plan.id)).expect(404);
    expect(refused.body.error.message).to.match(/not available/);
    const settings = (await request(api.app).get('/api/v1/agency/billing/self-signup').set(owner).expect(200)).body;
    expect(settings).to.deep.include({ enabled: false, planIds: [], mailConfigured: true, stripeConnected: true, signupUrl: `${api.container.config.portalUrl}/signup?agency=${x.id}` });
    expect(settings.plans).to.deep.equal([{ id: plan.id, name: 'Starter', offerable: true, reason: null }]);
  });

  it('when a business signs up, confirms its e-mail and pays, then it owns a new tenant of the agency whose subscription Stripe activates', async () => {
    const plan = await createPlan({ name: 'Growth', monthlyPriceMinor: 4900, yearlyPriceMinor: 49000, trialDays: 0 });
    const settings = (await enable([plan.id]).expect(200)).body;
    expect(settings).to.deep.include({ enabled: true, planIds: [plan.id], warnings: [] });
    const page = (await offer().expect(200)).body;
    expect(page).to.deep.include({ available: true, message: null, agency: { id: x.id } });
    expect(page.plans).to.have.length(1);
    expect(page.plans[0]).to.deep.include({ id: plan.id, name: 'Growth', monthlyPriceMinor: 4900, yearlyPriceMinor: 49000, trialDays: 0, currency: 'usd' });
    expect(page.plans[0].entitlements.agents).to.equal(1);

    const form = signupForm(plan.id, { interval: 'year' });
    const asked = await ask(form).expect(202);
    expect(asked.body).to.deep.equal({ status: 'accepted', mailConfigured: true, message: 'Check your inbox: we sent you a link to confirm your e-mail address. It works for 24 hours.' });
    await flush();
    expect(await tenantsNamed(form.businessName), 'nothing is created before the address is confirmed').to.deep.equal([]);
    expect(await rows('SELECT id FROM users WHERE email = :email', { email: form.email })).to.deep.equal([]);
    const [stored] = await rows('SELECT token_hash AS "tokenHash", password_hash AS "passwordHash" FROM signup_requests WHERE email = :email', { email: form.email });
    expect(stored!.passwordHash).to.match(/^\$argon2id\$/);
    const token = mail.lastTokenFor(form.email as string)!;
    expect(mailTo(form.email)[0]!.text).to.include(`/signup/verify?agency=${x.id}&token=`);
    expect(stored!.tokenHash).to.not.equal(token);

    const verified = await verify(token).expect(201);
    const [tenant] = await tenantsNamed(form.businessName);
    expect(tenant).to.deep.include({ agencyId: x.id, timeZone: 'Europe/Berlin' });
    expect(verified.body.tenantId).to.equal(tenant!.id);
    const [member] = await rows(
      `SELECT m.role, u.name, u.password_hash AS "passwordHash" FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.tenant_id = :tenantId`, { tenantId: tenant!.id },
    );
    expect(member).to.deep.include({ role: 'tenant_owner', name: 'Rosa Petal', passwordHash: stored!.passwordHash });
    const [used] = await rows('SELECT password_hash AS "passwordHash", tenant_id AS "tenantId" FROM signup_requests WHERE email = :email', { email: form.email });
    expect(used, 'the used request keeps no password hash').to.deep.equal({ passwordHash: '', tenantId: tenant!.id });
    // Until paid: the chosen plan, unpaid, so the entitlement check restricts new outbound and AI turns.
    expect(await subscriptionRowOf(db, tenant!.id as string)).to.deep.include({ status: 'unpaid', billing: 'manual', interval: 'year', planVersionId: plan.current.id });
    const scope = { agencyId: x.id, tenantId: tenant!.id as string };
    const decision = await runInScope(scope, (tx) => checkEntitlement(tx, scope, { kind: 'ai.turn' }));
    expect(decision).to.deep.include({ allowed: false, code: 'SUBSCRIPTION_RESTRICTED' });

    // Signed in: the session cookie opens the portal as the new owner.
    const cookie = verified.headers['set-cookie'] as unknown as string[];
    expect(cookie.join(';')).to.include('sb_session=');
    const me = (await request(api.app).get('/api/v1/auth/me').set('cookie', cookie.map((c) => c.split(';')[0]).join('; ')).expect(200)).body;
    expect(me).to.deep.include({ tenantId: tenant!.id, role: 'tenant_owner' });

    const audit = await rows(`SELECT action, actor_type AS "actorType", after FROM audit_events WHERE tenant_id = :tenantId ORDER BY seq`, { tenantId: tenant!.id });
    expect(audit.map((a) => a.action)).to.include.members(['tenant.self_signed_up', 'auth.login.succeeded', 'subscription.checkout_started']);
    expect(audit.find((a) => a.action === 'tenant.self_signed_up')!.after).to.deep.include({ ownerEmail: form.email, planId: plan.id, interval: 'year' });
    const [event] = await rows(`SELECT type, data FROM event_outbox WHERE tenant_id = :tenantId AND type = 'tenant.signed_up'`, { tenantId: tenant!.id });
    expect(event!.data).to.deep.include({ tenantId: tenant!.id, name: form.businessName, planId: plan.id });

    // Pays on the hosted Checkout page; Stripe's webhooks make the subscription active, and the restriction lifts.
    const paid = await clickButton(verified.body.checkoutUrl, 'Pay');
    expect(paid.status).to.equal(303);
    expect(paid.headers.get('location')).to.match(/\/billing\?checkout=success$/);
    await fake.settled();
    expect(await subscriptionRowOf(db, tenant!.id as string)).to.deep.include({ status: 'active', billing: 'stripe', interval: 'year', planVersionId: plan.current.id });
    expect(await runInScope(scope, (tx) => checkEntitlement(tx, scope, { kind: 'ai.turn' }))).to.deep.include({ allowed: true });
    const created = await rows(`SELECT type FROM event_outbox WHERE tenant_id = :tenantId AND type LIKE 'subscription.%'`, { tenantId: tenant!.id });
    expect(created.map((e) => e.type)).to.deep.equal(['subscription.created']);
  });

  it('when the address already has an account, then the answer is the same and that address gets a sign-in reminder instead of a link', async () => {
    const plan = await createPlan();
    await enable([plan.id]).expect(200);
    const [existing] = await rows('SELECT email FROM users WHERE id = :id', { id: x.tenants[0].users.tenant_owner.userId });
    const known = await ask(signupForm(plan.id, { email: existing!.email })).expect(202);
    const fresh = await ask(signupForm(plan.id)).expect(202);
    expect(known.body).to.deep.equal(fresh.body);
    await flush();
    const reminder = mailTo(existing!.email);
    expect(reminder).to.have.length(1);
    expect(reminder[0]!.subject).to.equal('You already have an account');
    expect(reminder[0]!.text).to.not.match(/token=/);
    expect(await rows('SELECT id FROM signup_requests WHERE email = :email', { email: existing!.email })).to.deep.equal([]);
  });

  it('when a link is used twice, has expired or was replaced by a newer one, then it is refused and creates nothing more', async () => {
    const plan = await createPlan();
    await enable([plan.id]).expect(200);
    const form = signupForm(plan.id);
    await ask(form).expect(202);
    await flush();
    const first = mail.lastTokenFor(form.email as string)!;
    await ask(form).expect(202);
    await flush();
    const second = mail.lastTokenFor(form.email as string)!;
    const replaced = await verify(first).expect(400);
    expect(replaced.body.error.message).to.match(/invalid, already used or expired/);
    await verify(second).expect(201);
    await verify(second).expect(400);
    expect(await tenantsNamed(form.businessName)).to.have.length(1);

    const late = signupForm(plan.id);
    await ask(late).expect(202);
    await flush();
    await db.query(`UPDATE signup_requests SET expires_at = now() - interval '1 second' WHERE email = :email`, { replacements: { email: late.email } });
    await verify(mail.lastTokenFor(late.email as string)!).expect(400);
    expect(await tenantsNamed(late.businessName)).to.deep.equal([]);
  });

  it('when the link is clicked twice at once, then one tenant is created and the other click is refused', async () => {
    const plan = await createPlan();
    await enable([plan.id]).expect(200);
    const form = signupForm(plan.id);
    await ask(form).expect(202);
    await flush();
    const token = mail.lastTokenFor(form.email as string)!;
    const statuses = (await Promise.all([verify(token), verify(token)])).map((res) => res.status).sort();
    expect(statuses).to.deep.equal([201, 400]);
    expect(await tenantsNamed(form.businessName)).to.have.length(1);
  });

  it('when the agency turns sign-up off before the link is opened, then the link no longer creates anything', async () => {
    const plan = await createPlan();
    await enable([plan.id]).expect(200);
    const form = signupForm(plan.id);
    await ask(form).expect(202);
    await flush();
    await request(api.app).put('/api/v1/agency/billing/self-signup').set(owner).send({ enabled: false, planIds: [plan.id] }).expect(200);
    await verify(mail.lastTokenFor(form.email as string)!).expect(404);
    expect(await tenantsNamed(form.businessName)).to.deep.equal([]);
  });

  it('when one address or one e-mail asks too often, then it gets a 429 saying when to try again', async () => {
    const plan = await createPlan();
    await enable([plan.id]).expect(200);
    for (let i = 0; i < 5; i += 1) await ask(signupForm(plan.id)).expect(202);
    const throttled = await ask(signupForm(plan.id)).expect(429);
    expect(throttled.body.error.message).to.match(/^Too many sign-up requests from your address\. Try again in/);
    expect(Number(throttled.headers['retry-after'])).to.be.greaterThan(0);

    const form = signupForm(plan.id);
    for (let i = 0; i < 3; i += 1) await ask(form, { 'x-forwarded-for': randomAddress() }).expect(202);
    const flooded = await ask(form, { 'x-forwarded-for': randomAddress() }).expect(429);
    expect(flooded.body.error.message).to.match(/for this e-mail address/);
  });

  it('when the form names a plan not on offer or bad fields, then it is a 400 naming the field, and only active synced plans can be offered', async () => {
    const offered = await createPlan({ name: 'Offered' });
    const hidden = await createPlan({ name: 'Hidden' });
    await enable([offered.id]).expect(200);
    const notOffered = await ask(signupForm(hidden.id)).expect(400);
    expect(notOffered.body.error.details[0]).to.deep.include({ path: 'body.planId' });
    const noYear = await ask(signupForm(offered.id, { interval: 'year' })).expect(400);
    expect(noYear.body.error.details[0]).to.deep.include({ path: 'body.interval' });
    const bad = await ask(signupForm(offered.id, { email: 'not-an-address', password: 'short', timeZone: 'Mars/Olympus' })).expect(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).to.include.members(['body.email', 'body.password', 'body.timeZone']);

    await request(api.app).delete(`/api/v1/agency/plans/${hidden.id}`).set(owner).expect(200);
    const archived = await enable([offered.id, hidden.id]).expect(400);
    expect(archived.body.error.details[0]).to.deep.include({ path: 'body.planIds.1', message: 'Hidden is archived' });
    const empty = await enable([]).expect(409);
    expect(empty.body.error.details.reason).to.equal('signup_not_ready');
    const [audit] = await rows(`SELECT after FROM audit_events WHERE agency_id = :agencyId AND action = 'self_signup.settings_updated' ORDER BY seq LIMIT 1`, { agencyId: x.id });
    expect(audit!.after).to.deep.equal({ enabled: true, planIds: [offered.id] });
    const page = (await offer().expect(200)).body;
    expect(page.plans.map((p: { id: string }) => p.id)).to.deep.equal([offered.id]);
  });

  it('when a tenant user asks for the settings, then it is refused (agency owner only)', async () => {
    const tenantOwner = api.signIn(memberPrincipal(x.id, x.tenants[0].users.tenant_owner));
    await request(api.app).get('/api/v1/agency/billing/self-signup').set(tenantOwner).expect(403);
    await request(api.app).put('/api/v1/agency/billing/self-signup').set(api.signIn(memberPrincipal(x.id, x.operator))).send({ enabled: false, planIds: [] }).expect(403);
  });

  describe('on a server without SMTP', () => {
    let mailless: TestApi;
    before(() => {
      const container = createContainer(loadConfig(testEnv()));
      container.mail = { canDeliver: false, send: async () => { throw new Error('no mail transport'); } };
      mailless = new TestApi(container);
    });
    after(() => mailless.close());

    it('when sign-up is asked for, then the agency cannot turn it on, the settings warn, and a request stores nothing and says why', async () => {
      const plan = await createPlan();
      const headers = mailless.signIn(memberPrincipal(x.id, x.owner));
      const refused = await request(mailless.app).put('/api/v1/agency/billing/self-signup').set(headers).send({ enabled: true, planIds: [plan.id] }).expect(409);
      expect(refused.body.error.message).to.match(/SMTP_URL is not configured/);
      const settings = (await request(mailless.app).get('/api/v1/agency/billing/self-signup').set(headers).expect(200)).body;
      expect(settings.mailConfigured).to.equal(false);
      expect(settings.warnings[0]).to.match(/cannot send e-mail/);

      await db.query('INSERT INTO agency_billing_settings (agency_id, self_signup_enabled) VALUES (:id, true) ON CONFLICT (agency_id) DO UPDATE SET self_signup_enabled = true', { replacements: { id: x.id } });
      await db.query('INSERT INTO self_signup_plans (agency_id, plan_id) VALUES (:id, :planId)', { replacements: { id: x.id, planId: plan.id } });
      const page = (await request(mailless.app).get('/api/v1/signup').query({ agency: x.id }).expect(200)).body;
      expect(page).to.deep.include({ available: false });
      expect(page.message).to.match(/cannot send the e-mail/);
      const form = signupForm(plan.id);
      const answer = await request(mailless.app).post('/api/v1/signup/requests').set(visitor).send({ agencyId: x.id, ...form }).expect(202);
      expect(answer.body).to.deep.include({ status: 'accepted', mailConfigured: false });
      expect(await rows('SELECT id FROM signup_requests WHERE email = :email', { email: form.email })).to.deep.equal([]);
    });
  });
});
