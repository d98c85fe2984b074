import { expect } from 'chai';
import { FakeGoogleOAuth } from '../../../../tests/fakes/google-oauth.js';
import { Browser } from '../../support/browser.js';
import { startIdentityApp, type IdentityApp } from '../../support/identity-app.js';
import { countUsersWithEmail, createAgency, createPerson, createTenant, type TestPerson } from '../../support/identity-world.js';

const PUBLIC_URL = 'https://switchboard.test';

describe('Google sign-in against a fake Google (real strategy, real HTTP)', () => {
  let google: FakeGoogleOAuth;
  let world: IdentityApp;
  let person: TestPerson;

  before(async () => {
    google = await FakeGoogleOAuth.start();
    world = startIdentityApp({
      PUBLIC_URL,
      GOOGLE_CLIENT_ID: google.clientId,
      GOOGLE_CLIENT_SECRET: google.clientSecret,
      GOOGLE_AUTHORIZATION_URL: google.authorizationUrl,
      GOOGLE_TOKEN_URL: google.tokenUrl,
      GOOGLE_USERINFO_URL: google.userInfoUrl,
    });
    const agencyId = await createAgency(world.db);
    person = await createPerson(world.db, [{ agencyId, tenantId: await createTenant(world.db, agencyId), role: 'tenant_admin' }]);
  });
  after(async () => {
    await world.close();
    await google.close();
  });

  /** Browser -> our /google -> Google's consent (answered by the fake) -> our callback. Returns the final redirect. */
  async function signInWithGoogle(browser: Browser): Promise<string> {
    const start = await browser.get('/api/v1/auth/google');
    expect(start.status).to.equal(302);
    const atGoogle = await fetch(start.headers.location!, { redirect: 'manual' });
    const back = new URL(atGoogle.headers.get('location')!);
    expect(back.origin + back.pathname).to.equal(`${PUBLIC_URL}/api/v1/auth/google/callback`);
    const done = await browser.get(back.pathname + back.search);
    expect(done.status).to.equal(302);
    return done.headers.location!;
  }

  it('when the verified Google e-mail belongs to an existing user, then they are signed in and linked', async () => {
    google.nextAccount = { sub: 'google-sub-1', email: person.email.toUpperCase(), email_verified: true };
    const browser = new Browser(world.app);
    expect(await signInWithGoogle(browser)).to.equal(`${PUBLIC_URL}/`);
    const me = await browser.get('/api/v1/auth/me');
    expect(me.status).to.equal(200);
    expect(me.body.user.id).to.equal(person.id);
    expect(google.tokenRequests.at(-1)).to.have.property('code_verifier'); // PKCE went through the real strategy
  });

  it('when Google says the e-mail is not verified, then sign-in is refused', async () => {
    google.nextAccount = { sub: 'google-sub-unverified', email: person.email, email_verified: false };
    const browser = new Browser(world.app);
    expect(await signInWithGoogle(browser)).to.equal(`${PUBLIC_URL}/sign-in?error=google_email_unverified`);
    expect(browser.cookies.has('sb_session')).to.equal(false);
  });

  it('when the Google e-mail matches no user, then sign-in is refused and no user is created', async () => {
    const email = `stranger-${Date.now()}@gmail.test`;
    google.nextAccount = { sub: 'google-sub-stranger', email, email_verified: true };
    const browser = new Browser(world.app);
    expect(await signInWithGoogle(browser)).to.equal(`${PUBLIC_URL}/sign-in?error=google_account_not_linked`);
    expect(await countUsersWithEmail(world.db, email)).to.equal(0);
    expect(browser.cookies.has('sb_session')).to.equal(false);
  });

  it('when the callback comes back without the state cookie of the browser that started, then it is refused', async () => {
    google.nextAccount = { sub: 'google-sub-1', email: person.email, email_verified: true };
    const start = await new Browser(world.app).get('/api/v1/auth/google');
    const atGoogle = await fetch(start.headers.location!, { redirect: 'manual' });
    const back = new URL(atGoogle.headers.get('location')!);
    const otherBrowser = new Browser(world.app);
    const done = await otherBrowser.get(back.pathname + back.search);
    expect(done.headers.location).to.equal(`${PUBLIC_URL}/sign-in?error=google_state_invalid`);
  });

  it('when Google is not configured, then /api/v1/auth/google is 404', async () => {
    const plain = startIdentityApp();
    try {
      expect((await new Browser(plain.app).get('/api/v1/auth/google')).status).to.equal(404);
    } finally {
      await plain.close();
    }
  });
});
