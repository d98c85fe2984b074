import { expect } from 'chai';
import { Browser } from '../../support/browser.js';
import { startIdentityApp, type IdentityApp } from '../../support/identity-app.js';
import { auditActions, createAgency, createPerson, createTenant, type TestPerson } from '../../support/identity-world.js';

const NEW_PASSWORD = 'a brand new long password';

describe('password reset', () => {
  let world: IdentityApp;
  let agencyId: string;
  let tenantId: string;
  let person: TestPerson;

  before(async () => {
    world = startIdentityApp();
    agencyId = await createAgency(world.db);
    tenantId = await createTenant(world.db, agencyId);
  });
  beforeEach(async () => {
    person = await createPerson(world.db, [{ agencyId, tenantId, role: 'tenant_member' }]);
  });
  after(() => world.close());

  async function requestToken(email: string): Promise<string> {
    const res = await new Browser(world.app).post('/api/v1/auth/password-reset/request', { email });
    expect(res.status).to.equal(202);
    await new Promise((resolve) => setTimeout(resolve, 20)); // the mail goes out in the background
    return world.mail.lastTokenFor(email)!;
  }

  it('when the email is unknown, then the answer is the same 202 and nothing is sent', async () => {
    const known = await new Browser(world.app).post('/api/v1/auth/password-reset/request', { email: person.email });
    const unknown = await new Browser(world.app).post('/api/v1/auth/password-reset/request', { email: 'ghost@example.test' });
    expect(unknown.status).to.equal(202);
    expect(unknown.body).to.deep.equal(known.body);
    expect(world.mail.lastTokenFor('ghost@example.test')).to.equal(undefined);
  });

  it('when the token is used, then the password changes, all sessions end, and the token is single use', async () => {
    const browser = new Browser(world.app);
    await browser.signIn(person.email, person.password);
    const token = await requestToken(person.email);
    const reset = await new Browser(world.app).post('/api/v1/auth/password-reset/confirm', { token, password: NEW_PASSWORD });
    expect(reset.status).to.equal(204);
    expect((await browser.get('/api/v1/auth/me')).status).to.equal(401);
    expect((await new Browser(world.app).signIn(person.email, person.password)).status).to.equal(401);
    expect((await new Browser(world.app).signIn(person.email, NEW_PASSWORD)).status).to.equal(200);
    const reuse = await new Browser(world.app).post('/api/v1/auth/password-reset/confirm', { token, password: 'yet another password' });
    expect(reuse.status).to.equal(400);
    expect(await auditActions(world.db, person.id)).to.include('auth.password_reset');
  });

  it('when the token is older than an hour, then it is refused', async () => {
    const token = await requestToken(person.email);
    await world.db.query(`UPDATE password_reset_tokens SET expires_at = now() - interval '1 second'`);
    const res = await new Browser(world.app).post('/api/v1/auth/password-reset/confirm', { token, password: NEW_PASSWORD });
    expect(res.status).to.equal(400);
    expect((await new Browser(world.app).signIn(person.email, person.password)).status).to.equal(200);
  });

  it('when no SMTP is configured, then the answer is still 202, says to ask an admin (the same for unknown addresses) and reveals no link', async () => {
    const unmailed = startIdentityApp({}, { mail: null });
    try {
      const res = await new Browser(unmailed.app).post('/api/v1/auth/password-reset/request', { email: person.email });
      expect(res.status).to.equal(202);
      expect(JSON.stringify(res.body)).to.not.match(/token=/);
      expect(res.body).to.include({ mailConfigured: false });
      expect(res.body.message).to.contain('Ask an administrator');
      const unknown = await new Browser(unmailed.app).post('/api/v1/auth/password-reset/request', { email: 'ghost@example.test' });
      expect(unknown.body).to.deep.equal(res.body);
    } finally {
      await unmailed.close();
    }
  });
});
