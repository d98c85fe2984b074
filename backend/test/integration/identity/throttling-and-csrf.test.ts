import { expect } from 'chai';
import { Browser } from '../../support/browser.js';
import { startIdentityApp, type IdentityApp } from '../../support/identity-app.js';
import { createAgency, createPerson, createTenant } from '../../support/identity-world.js';

describe('login throttling and CSRF', function () {
  this.timeout(180_000); // many argon2 checks: slow on a busy CI machine
  let world: IdentityApp;
  let agencyId: string;
  let tenantId: string;

  before(async () => {
    world = startIdentityApp();
    agencyId = await createAgency(world.db);
    tenantId = await createTenant(world.db, agencyId);
  });
  after(() => world.close());

  it('when one address has 5 failures on an account, then its next attempt is 429 with Retry-After, even with the right password; other addresses are not held up', async () => {
    const person = await createPerson(world.db, [{ agencyId, tenantId, role: 'tenant_member' }]);
    const ip = new Browser(world.app).ip;
    for (let i = 0; i < 5; i += 1) {
      expect((await new Browser(world.app, ip).signIn(person.email, `wrong password ${i}`)).status).to.equal(401);
    }
    const blocked = await new Browser(world.app, ip).signIn(person.email, person.password);
    expect(blocked.status).to.equal(429);
    expect(Number(blocked.headers['retry-after'])).to.be.within(1, 15 * 60);
    expect(blocked.body.error.message).to.match(/Too many failed sign-in attempts/);
    expect((await new Browser(world.app).signIn(person.email, person.password)).status).to.equal(200);
  });

  it('when a success follows a few failures, then the account counter starts again', async () => {
    const person = await createPerson(world.db, [{ agencyId, tenantId, role: 'tenant_member' }]);
    for (let i = 0; i < 4; i += 1) await new Browser(world.app).signIn(person.email, 'wrong password!');
    expect((await new Browser(world.app).signIn(person.email, person.password)).status).to.equal(200);
    for (let i = 0; i < 4; i += 1) await new Browser(world.app).signIn(person.email, 'wrong password!');
    expect((await new Browser(world.app).signIn(person.email, person.password)).status).to.equal(200);
  });

  it('when one IP fails 20 times across accounts, then that IP gets 429 and other IPs do not', async () => {
    const ip = new Browser(world.app).ip; // random per run: Redis outlives test runs
    for (let i = 0; i < 20; i += 1) {
      expect((await new Browser(world.app, ip).signIn(`spray-${i}-${Date.now()}@example.test`, 'guess guess')).status).to.equal(401);
    }
    const person = await createPerson(world.db, [{ agencyId, tenantId, role: 'tenant_member' }]);
    const blocked = await new Browser(world.app, ip).signIn(person.email, person.password);
    expect(blocked.status).to.equal(429);
    expect(blocked.headers['retry-after']).to.match(/^\d+$/);
    expect((await new Browser(world.app).signIn(person.email, person.password)).status).to.equal(200);
  });

  it('when a signed-in browser sends a mutation without the CSRF token, then it is 403', async () => {
    const person = await createPerson(world.db, [{ agencyId, tenantId, role: 'tenant_member' }]);
    const browser = new Browser(world.app);
    await browser.signIn(person.email, person.password);
    browser.sendCsrf = false;
    const res = await browser.post('/api/v1/auth/logout', {});
    expect(res.status).to.equal(403);
    expect(res.body.error.details.reason).to.equal('csrf_token_invalid');
    const forged = await browser.post('/api/v1/auth/logout', {}, { 'x-csrf-token': 'forged.value' });
    expect(forged.status).to.equal(403);
    browser.sendCsrf = true;
    expect((await browser.post('/api/v1/auth/logout', {})).status).to.equal(204);
  });

  it('when the CSRF cookie and header match but were not issued by us, then it is still 403', async () => {
    const person = await createPerson(world.db, [{ agencyId, tenantId, role: 'tenant_member' }]);
    const browser = new Browser(world.app);
    await browser.signIn(person.email, person.password);
    browser.cookies.set('sb_csrf', 'planted.by-a-sibling-domain');
    expect((await browser.post('/api/v1/auth/logout', {})).status).to.equal(403);
  });

  it('when GET /api/v1/auth/csrf is called, then the token comes back in the body and in a readable cookie', async () => {
    const browser = new Browser(world.app);
    const res = await browser.get('/api/v1/auth/csrf');
    const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('sb_csrf='))!;
    expect(cookie).to.not.match(/HttpOnly/i);
    expect(browser.cookies.get('sb_csrf')).to.equal(res.body.csrfToken);
  });
});
