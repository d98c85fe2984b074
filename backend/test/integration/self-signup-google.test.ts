import { randomInt, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { Sequelize } from 'sequelize';
import request from 'supertest';
import { FakeGoogleOAuth, type FakeGoogleAccount } from '../../../tests/fakes/google-oauth.js';
import { clickButton, type FakeStripe } from '../../../tests/fakes/stripe/index.js';
import { loadConfig } from '../../src/config.js';
import { createContainer } from '../../src/container.js';
import { GOOGLE_HANDOFF_COOKIE } from '../../src/modules/auth/google-routes.js';
import { createAgencyWorld, superuserSequelize, type WorldAgency } from '../support/accounts-world.js';
import { Browser } from '../support/browser.js';
import { InMemoryMail } from '../support/in-memory-mail.js';
import { planBody } from '../support/plans-world.js';
import { providerFakes } from '../support/provider-fakes.js';
import { listen, newSigningSecret, saveAgencyStripe, subscriptionRowOf } from '../support/subscriptions-world.js';
import { memberPrincipal, testEnv, TestApi } from '../support/test-api.js';

const PUBLIC_URL = 'https://switchboard.test';
type Row = Record<string, unknown>;

/**
 * A business signs up with "Continue with Google": it picks a plan and types its name on /signup, Google (the
 * fake, through the real passport strategy) says who the owner is, and the owner lands signed in on the fake
 * Stripe's Checkout page. The intent travels in the server-side OAuth state; the callback hands the verified
 * profile to the sign-up's complete route. Each story has its own browser (cookies, client address).
 */
describe('Self sign-up with Google (fake Google, fake Stripe)', function () {
  this.timeout(60_000);
  let db: Sequelize;
  let api: TestApi;
  let app: { url: string; close(): Promise<void> };
  let fake: FakeStripe;
  let google: FakeGoogleOAuth;
  let x: WorldAgency;
  let owner: Record<string, string>;
  let plan: { id: string; current: { id: string } };

  before(async () => {
    db = superuserSequelize();
    google = await FakeGoogleOAuth.start();
    const container = createContainer(loadConfig(testEnv({
      PUBLIC_URL, GOOGLE_CLIENT_ID: google.clientId, GOOGLE_CLIENT_SECRET: google.clientSecret, GOOGLE_AUTHORIZATION_URL: google.authorizationUrl,
      GOOGLE_TOKEN_URL: google.tokenUrl, GOOGLE_USERINFO_URL: google.userInfoUrl, RESET_REQUESTS_PER_ADDRESS: '5',
    })));
    container.mail = new InMemoryMail();
    api = new TestApi(container);
    app = await listen(api.app);
    fake = providerFakes().stripe;
  });
  beforeEach(async () => {
    x = await createAgencyWorld(db);
    const key = fake.addAccount().secretKey;
    const webhookSecret = newSigningSecret();
    await saveAgencyStripe(db, x.id, { secretKey: key, webhookSecret });
    fake.addWebhookEndpoint(key, `${app.url}/webhooks/stripe-billing/${x.id}`, webhookSecret);
    owner = api.signIn(memberPrincipal(x.id, x.owner));
    plan = (await request(api.app).post('/api/v1/agency/plans').set(owner).send(planBody({ name: 'Growth', monthlyPriceMinor: 4900, trialDays: 0 })).expect(201)).body.plan;
    await setSignup(true);
  });
  after(async () => {
    await app.close();
    await api.close();
    await db.close();
    await google.close();
  });

  const setSignup = (enabled: boolean) =>
    request(api.app).put('/api/v1/agency/billing/self-signup').set(owner).send({ enabled, planIds: [plan.id] }).expect(200);
  const rows = async (sql: string, replacements: Record<string, unknown>) => ((await db.query(sql, { replacements })) as [Row[], unknown])[0];
  const tenantsNamed = (name: unknown) => rows('SELECT id FROM tenants WHERE name = :name', { name });
  const form = () => ({ agencyId: x.id, businessName: `Bloom Florists ${randomUUID().slice(0, 8)}`, name: 'Rosa Petal', timeZone: 'Europe/Berlin', planId: plan.id, interval: 'month' });
  const account = (overrides: Partial<FakeGoogleAccount> = {}): FakeGoogleAccount =>
    ({ sub: `google-${randomUUID()}`, email: `rosa-${randomUUID().slice(0, 8)}@gmail.test`, email_verified: true, ...overrides });
  const newBrowser = () => new Browser(api.app, `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`);
  const startAt = (browser: Browser, fields: Record<string, string>) => browser.send('get', '/api/v1/signup/google', { query: fields });
  const path = (location: string) => { const url = new URL(location); return url.pathname + url.search; };

  /** /signup's "Continue with Google" up to Google's answer: the callback path (with code and state) the browser is sent back to. */
  async function throughGoogle(browser: Browser, fields: Record<string, string>, who: FakeGoogleAccount): Promise<string> {
    const start = await startAt(browser, fields);
    expect(start.status, JSON.stringify(start.body)).to.equal(302);
    expect(start.headers.location).to.match(/^http:\/\/127\.0\.0\.1:\d+\/o\/oauth2\/v2\/auth\?/);
    google.nextAccount = who;
    const atGoogle = await fetch(start.headers.location!, { redirect: 'manual' });
    return path(atGoogle.headers.get('location')!);
  }

  /** The callback, then (when it hands off) the sign-up's complete route. Returns where the browser finally goes. */
  async function backFromGoogle(browser: Browser, callback: string): Promise<string> {
    const back = await browser.get(callback);
    expect(back.status).to.equal(302);
    if (!back.headers.location!.startsWith(`${PUBLIC_URL}/api/v1/signup/google/complete`)) return back.headers.location!;
    const done = await browser.get(path(back.headers.location!));
    expect(done.status).to.equal(302);
    return done.headers.location!;
  }

  it('when Google is configured and sign-up is on, then the public page offers Google', async () => {
    const page = (await request(api.app).get('/api/v1/signup').query({ agency: x.id }).expect(200)).body;
    expect(page).to.deep.include({ available: true, google: true });
  });

  it('when a business signs up with Google and pays, then exactly one tenant and its Google-only owner exist and Stripe activates the plan; a replayed callback creates nothing more', async () => {
    const fields = form();
    const who = account({ email: `Rosa-${randomUUID().slice(0, 8)}@GMail.test` });
    const browser = newBrowser();
    const callback = await throughGoogle(browser, fields, who);
    expect(callback, 'the intent is not in the URL Google sees').to.not.include('Bloom');
    const checkoutUrl = await backFromGoogle(browser, callback);
    expect(checkoutUrl).to.match(/^http:\/\/127\.0\.0\.1:\d+\//);
    expect(browser.cookies.has(GOOGLE_HANDOFF_COOKIE), 'the hand-off is used once').to.equal(false);

    const [tenant] = await tenantsNamed(fields.businessName);
    expect(await tenantsNamed(fields.businessName)).to.have.length(1);
    const [member] = await rows(
      `SELECT m.role, u.id, u.email, u.name, u.password_hash AS "passwordHash" FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.tenant_id = :tenantId`,
      { tenantId: tenant!.id },
    );
    expect(member).to.deep.include({ role: 'tenant_owner', email: who.email.toLowerCase(), name: 'Rosa Petal', passwordHash: null });
    const identities = await rows('SELECT provider, subject FROM user_identities WHERE user_id = :userId', { userId: member!.id });
    expect(identities).to.deep.equal([{ provider: 'google', subject: who.sub }]);
    expect(await subscriptionRowOf(db, tenant!.id as string)).to.deep.include({ status: 'unpaid', billing: 'manual', planVersionId: plan.current.id });
    const me = (await browser.get('/api/v1/auth/me')).body;
    expect(me).to.deep.include({ tenantId: tenant!.id, role: 'tenant_owner' });
    const audit = await rows('SELECT action, after FROM audit_events WHERE tenant_id = :tenantId ORDER BY seq', { tenantId: tenant!.id });
    expect(audit.map((a) => a.action)).to.include.members(['tenant.self_signed_up', 'auth.login.succeeded', 'subscription.checkout_started']);
    expect(audit.find((a) => a.action === 'tenant.self_signed_up')!.after).to.deep.include({ signedUpWith: 'google', planId: plan.id, interval: 'month' });
    expect(await rows(`SELECT type FROM event_outbox WHERE tenant_id = :tenantId AND type = 'tenant.signed_up'`, { tenantId: tenant!.id })).to.have.length(1);

    // The same callback again (a reload, a replay): the state was used once.
    expect(await backFromGoogle(browser, callback)).to.equal(`${PUBLIC_URL}/sign-in?error=google_state_invalid`);
    expect(await tenantsNamed(fields.businessName)).to.have.length(1);

    const paid = await clickButton(checkoutUrl, 'Pay');
    expect(paid.status).to.equal(303);
    await fake.settled();
    expect(await subscriptionRowOf(db, tenant!.id as string)).to.deep.include({ status: 'active', billing: 'stripe', planVersionId: plan.current.id });
  });

  it('when the hand-off cookie is replayed after the sign-up, then nothing more is created and the owner is told they have an account', async () => {
    const fields = form();
    const browser = newBrowser();
    const back = await browser.get(await throughGoogle(browser, fields, account()));
    const handOff = browser.cookies.get(GOOGLE_HANDOFF_COOKIE)!;
    expect((await browser.get(path(back.headers.location!))).status).to.equal(302);
    const replay = newBrowser();
    replay.cookies.set(GOOGLE_HANDOFF_COOKIE, handOff);
    const again = await replay.get('/api/v1/signup/google/complete');
    expect(again.headers.location).to.equal(`${PUBLIC_URL}/signup/google?result=account_exists`);
    expect(await tenantsNamed(fields.businessName)).to.have.length(1);
  });

  it('when the Google account or its verified address already belongs to a user, then they are signed in, told so, and nothing is created', async () => {
    const [existing] = await rows('SELECT id, email FROM users WHERE id = :id', { id: x.tenants[0].users.tenant_owner.userId });
    const who = account({ email: existing!.email as string });
    for (const attempt of ['linked by e-mail', 'already linked']) {
      const fields = form();
      const browser = newBrowser();
      expect(await backFromGoogle(browser, await throughGoogle(browser, fields, who)), attempt).to.equal(`${PUBLIC_URL}/signup/google?result=account_exists`);
      expect((await browser.get('/api/v1/auth/me')).body.user.id).to.equal(existing!.id);
      expect(await tenantsNamed(fields.businessName)).to.deep.equal([]);
    }
    expect(await rows('SELECT subject FROM user_identities WHERE user_id = :id', { id: existing!.id })).to.deep.equal([{ subject: who.sub }]);
  });

  it('when Google has not verified the address, then sign-up is refused and nothing is created', async () => {
    const fields = form();
    const browser = newBrowser();
    const where = await backFromGoogle(browser, await throughGoogle(browser, fields, account({ email_verified: false })));
    expect(where).to.equal(`${PUBLIC_URL}/signup/google?result=google_email_unverified&agency=${x.id}`);
    expect(browser.cookies.has('sb_session')).to.equal(false);
    expect(await tenantsNamed(fields.businessName)).to.deep.equal([]);
  });

  it('when the state or the hand-off is forged, stale or from another browser, then nothing is created', async () => {
    const fields = form();
    const who = account();
    // Google's answer opened in another browser: the state cookie is missing.
    const callback = await throughGoogle(newBrowser(), fields, who);
    expect(await backFromGoogle(newBrowser(), callback)).to.equal(`${PUBLIC_URL}/sign-in?error=google_state_invalid`);
    // A state that expired in Redis (ten minutes).
    const late = newBrowser();
    const lateCallback = await throughGoogle(late, fields, who);
    await api.container.redis.del(`sb:oauth-state:${new URL(lateCallback, PUBLIC_URL).searchParams.get('state')}`);
    expect(await backFromGoogle(late, lateCallback)).to.equal(`${PUBLIC_URL}/sign-in?error=google_state_invalid`);
    // A hand-off cookie edited to claim another address, or none at all.
    const forger = newBrowser();
    await forger.get(await throughGoogle(forger, fields, who));
    const [body, mac] = forger.cookies.get(GOOGLE_HANDOFF_COOKIE)!.split('.');
    const claims = JSON.parse(Buffer.from(body!, 'base64url').toString('utf8'));
    claims.profile.email = 'someone-else@gmail.test';
    forger.cookies.set(GOOGLE_HANDOFF_COOKIE, `${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${mac}`);
    expect((await forger.get('/api/v1/signup/google/complete')).headers.location).to.equal(`${PUBLIC_URL}/signup/google?result=google_state_invalid`);
    expect((await newBrowser().get('/api/v1/signup/google/complete')).headers.location).to.equal(`${PUBLIC_URL}/signup/google?result=google_state_invalid`);
    expect(await tenantsNamed(fields.businessName)).to.deep.equal([]);
    expect(await rows('SELECT id FROM users WHERE email = :email', { email: who.email })).to.deep.equal([]);
  });

  it('when sign-up is off, or turned off while the visitor is at Google, or the plan is not offered, then a page says so and nothing is created', async () => {
    const fields = form();
    const browser = newBrowser();
    const callback = await throughGoogle(browser, fields, account());
    await setSignup(false);
    expect(await backFromGoogle(browser, callback)).to.equal(`${PUBLIC_URL}/signup/google?result=signup_unavailable&agency=${x.id}`);
    const refused = await startAt(newBrowser(), fields);
    expect(refused.headers.location).to.equal(`${PUBLIC_URL}/signup/google?result=signup_unavailable&agency=${x.id}`);
    await setSignup(true);
    const other = await startAt(newBrowser(), { ...fields, planId: randomUUID() });
    expect(other.headers.location).to.equal(`${PUBLIC_URL}/signup/google?result=plan_not_offered&agency=${x.id}`);
    expect(await tenantsNamed(fields.businessName)).to.deep.equal([]);
  });

  it('when one address starts too many Google sign-ups, then it is told to wait, as with password requests', async () => {
    const browser = newBrowser();
    for (let i = 0; i < 5; i += 1) expect((await startAt(browser, form())).headers.location).to.match(/\/o\/oauth2\/v2\/auth\?/);
    expect((await startAt(browser, form())).headers.location).to.equal(`${PUBLIC_URL}/signup/google?result=throttled&agency=${x.id}`);
  });
});
