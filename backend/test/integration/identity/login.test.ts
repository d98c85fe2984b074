import { expect } from 'chai';
import { Browser } from '../../support/browser.js';
import { startIdentityApp, type IdentityApp } from '../../support/identity-app.js';
import { auditActions, createAgency, createPerson, createTenant, setTenantStatus, setUserStatus, type TestPerson } from '../../support/identity-world.js';

describe('password login and sessions', () => {
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
    person = await createPerson(world.db, [{ agencyId, tenantId, role: 'tenant_admin' }]);
  });
  after(() => world.close());

  it('when the password is right, then the session cookie is set (httpOnly, Secure, SameSite=Lax) and /me answers', async () => {
    const browser = new Browser(world.app);
    const res = await browser.signIn(person.email, person.password);
    expect(res.status).to.equal(200);
    const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('sb_session='))!;
    expect(cookie).to.match(/HttpOnly/i).and.match(/Secure/i).and.match(/SameSite=Lax/i);
    expect(res.body).to.deep.include({ role: 'tenant_admin', tenantId, agencyId });
    const me = await browser.get('/api/v1/auth/me');
    expect(me.status).to.equal(200);
    expect(me.body.user.email).to.equal(person.email);
    expect(me.body.memberships).to.have.length(1);
    expect(me.body.featureFlags).to.be.an('object');
    expect(await auditActions(world.db, person.id)).to.include('auth.login.succeeded');
  });

  it('when the email is unknown or the password wrong, then both answer the same 401 message', async () => {
    const wrongPassword = await new Browser(world.app).signIn(person.email, 'not the password at all');
    const unknownEmail = await new Browser(world.app).signIn(`nobody-${Date.now()}@example.test`, 'not the password at all');
    expect(wrongPassword.status).to.equal(401);
    expect(unknownEmail.status).to.equal(401);
    expect(wrongPassword.body.error.message).to.equal(unknownEmail.body.error.message);
    expect(wrongPassword.body.error.code).to.equal(unknownEmail.body.error.code);
    expect(await auditActions(world.db, person.id)).to.include('auth.login.failed');
  });

  it('when signing in again from the same browser, then the session id is rotated and the old one is dead', async () => {
    const browser = new Browser(world.app);
    await browser.signIn(person.email, person.password);
    const first = browser.cookies.get('sb_session');
    const res = await browser.signIn(person.email, person.password);
    expect(res.status).to.equal(200);
    const second = browser.cookies.get('sb_session');
    expect(second).to.be.a('string').and.not.equal(first);
    const old = new Browser(world.app);
    old.cookies.set('sb_session', first!);
    expect((await old.get('/api/v1/auth/me')).status).to.equal(401);
  });

  it('when the user logs out everywhere, then every other session of theirs stops working', async () => {
    const laptop = new Browser(world.app);
    const phone = new Browser(world.app);
    await laptop.signIn(person.email, person.password);
    await phone.signIn(person.email, person.password);
    const res = await laptop.post('/api/v1/auth/logout-all', {});
    expect(res.status).to.equal(200);
    expect(res.body.sessionsEnded).to.equal(2);
    expect((await phone.get('/api/v1/auth/me')).status).to.equal(401);
    expect((await laptop.get('/api/v1/auth/me')).status).to.equal(401);
    expect(await auditActions(world.db, person.id)).to.include('auth.logout_all');
  });

  it('when the user logs out, then only this session ends', async () => {
    const laptop = new Browser(world.app);
    const phone = new Browser(world.app);
    await laptop.signIn(person.email, person.password);
    await phone.signIn(person.email, person.password);
    expect((await laptop.post('/api/v1/auth/logout', {})).status).to.equal(204);
    expect((await laptop.get('/api/v1/auth/me')).status).to.equal(401);
    expect((await phone.get('/api/v1/auth/me')).status).to.equal(200);
  });

  it('when the only tenant is suspended, then the user cannot sign in and their existing session stops working', async () => {
    const lonelyTenant = await createTenant(world.db, agencyId);
    const staff = await createPerson(world.db, [{ agencyId, tenantId: lonelyTenant, role: 'tenant_member' }]);
    const browser = new Browser(world.app);
    expect((await browser.signIn(staff.email, staff.password)).status).to.equal(200);
    await setTenantStatus(world.db, lonelyTenant, 'suspended');
    expect((await browser.get('/api/v1/auth/me')).status).to.equal(401);
    const again = await new Browser(world.app).signIn(staff.email, staff.password);
    expect(again.status).to.equal(403);
    expect(again.body.error.details.reason).to.equal('account_suspended');
  });

  it('when the user is suspended, then login is refused and their session stops working', async () => {
    const browser = new Browser(world.app);
    await browser.signIn(person.email, person.password);
    await setUserStatus(world.db, person.id, 'suspended');
    expect((await browser.get('/api/v1/auth/me')).status).to.equal(401);
    expect((await new Browser(world.app).signIn(person.email, person.password)).status).to.equal(403);
  });

  it('when a user belongs to two tenants, then they switch between their own tenants only', async () => {
    const second = await createTenant(world.db, agencyId);
    const foreign = await createTenant(world.db, agencyId);
    const both = await createPerson(world.db, [
      { agencyId, tenantId, role: 'tenant_member' },
      { agencyId, tenantId: second, role: 'tenant_owner' },
    ]);
    const browser = new Browser(world.app);
    expect((await browser.signIn(both.email, both.password)).body.tenantId).to.equal(tenantId);
    const switched = await browser.post('/api/v1/auth/switch-tenant', { tenantId: second });
    expect(switched.status).to.equal(200);
    expect(switched.body).to.deep.include({ tenantId: second, role: 'tenant_owner' });
    expect((await browser.get('/api/v1/auth/me')).body.tenantId).to.equal(second);
    expect((await browser.post('/api/v1/auth/switch-tenant', { tenantId: foreign })).status).to.equal(403);
  });
});
