import { expect } from 'chai';
import { Browser } from '../../support/browser.js';
import { startIdentityApp, type IdentityApp } from '../../support/identity-app.js';
import { createAgency, createPerson } from '../../support/identity-world.js';

type Case = { method: 'get' | 'post' | 'delete'; path: string; body?: object };

// Unknown fields, wrong types, malformed ids and tokens: every identity route answers 400 with details.
const CASES: Case[] = [
  { method: 'get', path: '/api/v1/auth/csrf?surprise=1' },
  { method: 'post', path: '/api/v1/auth/login', body: { email: 'not-an-email', password: 'x' } },
  { method: 'post', path: '/api/v1/auth/login', body: { email: 'a@example.test', password: 'x', admin: true } },
  { method: 'post', path: '/api/v1/auth/login', body: { email: 42, password: ['x'] } },
  { method: 'post', path: '/api/v1/auth/password-reset/request', body: {} },
  { method: 'post', path: '/api/v1/auth/password-reset/confirm', body: { token: 'short', password: 'short' } },
  { method: 'post', path: '/api/v1/invitations/inspect', body: { token: '!!!!!!!!!!!!!!!!!!!!!!!!' } },
  { method: 'post', path: '/api/v1/invitations/accept', body: { token: 'a'.repeat(43), password: 'x'.repeat(5000) } },
  { method: 'get', path: '/api/v1/auth/me?x=1' },
  { method: 'post', path: '/api/v1/auth/logout', body: { everywhere: true } },
  { method: 'post', path: '/api/v1/auth/logout-all', body: { x: 1 } },
  { method: 'post', path: '/api/v1/auth/switch-tenant', body: { tenantId: 'not-a-uuid' } },
  { method: 'post', path: '/api/v1/auth/act-as-tenant', body: {} },
  { method: 'delete', path: '/api/v1/auth/act-as-tenant?x=1' },
  { method: 'get', path: '/api/v1/invitations?page=2' },
  { method: 'post', path: '/api/v1/invitations', body: { email: 'x@example.test', role: 'superuser' } },
  { method: 'post', path: '/api/v1/invitations', body: { email: 'x@example.test', role: 'tenant_member', expiresInDays: 365 } },
  { method: 'delete', path: '/api/v1/invitations/not-a-uuid' },
];

describe('bad input on every identity route', () => {
  let world: IdentityApp;
  let browser: Browser;

  before(async () => {
    world = startIdentityApp();
    const agencyId = await createAgency(world.db);
    const owner = await createPerson(world.db, [{ agencyId, role: 'agency_owner' }]);
    browser = new Browser(world.app);
    await browser.signIn(owner.email, owner.password);
  });
  after(() => world.close());

  for (const c of CASES) {
    it(`when ${c.method.toUpperCase()} ${c.path} gets ${JSON.stringify(c.body ?? {}).slice(0, 60)}, then it is 400 with field details`, async () => {
      const res = c.method === 'post' ? await browser.post(c.path, c.body) : await browser[c.method](c.path);
      expect(res.status, JSON.stringify(res.body)).to.equal(400);
      expect(res.body.error.code).to.equal('VALIDATION_FAILED');
      expect(res.body.error.details).to.be.an('array');
      expect(res.body.error.details.length).to.be.greaterThan(0);
    });
  }

  it('when the body is not JSON, then login is 400, not 500', async () => {
    const res = await browser.post('/api/v1/auth/login', undefined, { 'content-type': 'application/json' });
    expect(res.status).to.be.oneOf([400]);
  });
});
