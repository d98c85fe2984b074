import { expect } from 'chai';
import { Browser } from '../../support/browser.js';
import { startIdentityApp, type IdentityApp } from '../../support/identity-app.js';
import { auditActions, countUsersWithEmail, createAgency, createPerson, createTenant, PASSWORD, type TestPerson } from '../../support/identity-world.js';

describe('invitations', () => {
  let world: IdentityApp;
  let agencyId: string;
  let tenantId: string;
  let owner: TestPerson;
  let tenantAdmin: TestPerson;

  before(async () => {
    // No SMTP: the link comes back to the inviter. The portal has its own address (native mode): links lead there.
    world = startIdentityApp({ PORTAL_URL: 'http://127.0.0.1:3999' }, { mail: null });
    agencyId = await createAgency(world.db);
    tenantId = await createTenant(world.db, agencyId);
    owner = await createPerson(world.db, [{ agencyId, role: 'agency_owner' }]);
    tenantAdmin = await createPerson(world.db, [{ agencyId, tenantId, role: 'tenant_admin' }]);
  });
  after(() => world.close());

  async function signedIn(person: TestPerson): Promise<Browser> {
    const browser = new Browser(world.app);
    expect((await browser.signIn(person.email, person.password)).status).to.equal(200);
    return browser;
  }

  const tokenOf = (acceptUrl: string) => new URL(acceptUrl).searchParams.get('token')!;

  it('when no SMTP is configured, then the invite answer carries the portal link (shown once, audited), and accepting creates user and membership once', async () => {
    const admin = await signedIn(tenantAdmin);
    const email = `new-staff-${Date.now()}@example.test`;
    const invited = await admin.post('/api/v1/invitations', { email, role: 'tenant_member' });
    expect(invited.status).to.equal(201);
    expect(invited.body).to.deep.include({ delivery: 'link', mailConfigured: false });
    expect(invited.body.acceptUrl).to.match(/^http:\/\/127\.0\.0\.1:3999\/invitations\/accept\?token=/);
    expect(invited.body.invitation).to.deep.include({ email, role: 'tenant_member', tenantId });
    expect(JSON.stringify((await admin.get('/api/v1/invitations')).body)).to.not.contain(tokenOf(invited.body.acceptUrl));
    const token = tokenOf(invited.body.acceptUrl);

    const preview = await new Browser(world.app).post('/api/v1/invitations/inspect', { token });
    expect(preview.body).to.deep.include({ email, accountExists: false });
    const accepted = await new Browser(world.app).post('/api/v1/invitations/accept', { token, name: 'New Staff', password: PASSWORD });
    expect(accepted.status).to.equal(201);
    expect(accepted.body).to.deep.include({ accountCreated: true, tenantId });
    expect(await auditActions(world.db, invited.body.invitation.id)).to.deep.equal(['invitation.created', 'invitation.link_shown', 'invitation.accepted']);
    expect(await auditActions(world.db, accepted.body.membershipId)).to.deep.equal(['membership.created']);

    const again = await new Browser(world.app).post('/api/v1/invitations/accept', { token, name: 'Someone Else', password: PASSWORD });
    expect(again.status).to.equal(400);
    expect(await countUsersWithEmail(world.db, email)).to.equal(1);
    const newcomer = await new Browser(world.app).signIn(email, PASSWORD);
    expect(newcomer.status).to.equal(200);
    expect(newcomer.body).to.deep.include({ role: 'tenant_member', tenantId });
  });

  it('when an invitation has expired, then it cannot be accepted', async () => {
    const admin = await signedIn(tenantAdmin);
    const email = `late-${Date.now()}@example.test`;
    const invited = await admin.post('/api/v1/invitations', { email, role: 'tenant_member' });
    await world.db.query(`UPDATE invitations SET expires_at = now() - interval '1 minute' WHERE id = :id`, {
      replacements: { id: invited.body.invitation.id },
    });
    const res = await new Browser(world.app).post('/api/v1/invitations/accept', { token: tokenOf(invited.body.acceptUrl), name: 'Late', password: PASSWORD });
    expect(res.status).to.equal(400);
    expect(res.body.error.details[0].path).to.equal('body.token');
    expect(await countUsersWithEmail(world.db, email)).to.equal(0);
  });

  it('when an invitation is revoked, then it cannot be accepted', async () => {
    const admin = await signedIn(tenantAdmin);
    const invited = await admin.post('/api/v1/invitations', { email: `revoked-${Date.now()}@example.test`, role: 'tenant_member' });
    expect((await admin.delete(`/api/v1/invitations/${invited.body.invitation.id}`)).status).to.equal(204);
    const res = await new Browser(world.app).post('/api/v1/invitations/accept', { token: tokenOf(invited.body.acceptUrl), name: 'X', password: PASSWORD });
    expect(res.status).to.equal(400);
    expect(await auditActions(world.db, invited.body.invitation.id)).to.include('invitation.revoked');
  });

  it('when a tenant admin tries to invite an owner or agency staff, then it is 403 (no escalation)', async () => {
    const admin = await signedIn(tenantAdmin);
    for (const role of ['tenant_owner', 'agency_operator', 'agency_owner']) {
      const res = await admin.post('/api/v1/invitations', { email: `climb-${role}@example.test`, role });
      expect(res.status, role).to.equal(403);
    }
  });

  it('when an operator invites at agency level, then tenant roles up to tenant owner work and agency roles are 403 (same rule as role changes)', async () => {
    const operator = await createPerson(world.db, [{ agencyId, role: 'agency_operator' }]);
    const browser = await signedIn(operator);
    const owner = await browser.post('/api/v1/invitations', { email: `t-owner-${Date.now()}@example.test`, role: 'tenant_owner', tenantId });
    expect(owner.status, JSON.stringify(owner.body)).to.equal(201);
    for (const role of ['agency_operator', 'agency_owner']) {
      expect((await browser.post('/api/v1/invitations', { email: `op-climb-${role}@example.test`, role })).status, role).to.equal(403);
    }
    const foreign = await createTenant(world.db, await createAgency(world.db));
    expect((await browser.post('/api/v1/invitations', { email: 'x@example.test', role: 'tenant_member', tenantId: foreign })).status).to.equal(404);
  });

  it('when a tenant owner invites, then another tenant owner is allowed in their own tenant', async () => {
    const tenantOwner = await createPerson(world.db, [{ agencyId, tenantId, role: 'tenant_owner' }]);
    const res = await (await signedIn(tenantOwner)).post('/api/v1/invitations', { email: `co-owner-${Date.now()}@example.test`, role: 'tenant_owner' });
    expect(res.status).to.equal(201);
    expect(res.body.invitation).to.deep.include({ role: 'tenant_owner', tenantId });
  });

  it('when a tenant admin revokes an invitation for a tenant owner, then it is 403 (above their rank)', async () => {
    const agency = await signedIn(owner);
    const invited = await agency.post('/api/v1/invitations', { email: `owner-to-be-${Date.now()}@example.test`, role: 'tenant_owner', tenantId });
    expect((await (await signedIn(tenantAdmin)).delete(`/api/v1/invitations/${invited.body.invitation.id}`)).status).to.equal(403);
  });

  it('when a tenant member tries to invite anyone, then it is 403', async () => {
    const member = await createPerson(world.db, [{ agencyId, tenantId, role: 'tenant_member' }]);
    const res = await (await signedIn(member)).post('/api/v1/invitations', { email: 'friend@example.test', role: 'tenant_member' });
    expect(res.status).to.equal(403);
  });

  it('when a tenant admin names another tenant, then it is 403 (scope comes from the session)', async () => {
    const other = await createTenant(world.db, agencyId);
    const res = await (await signedIn(tenantAdmin)).post('/api/v1/invitations', { email: 'x@example.test', role: 'tenant_member', tenantId: other });
    expect(res.status).to.equal(403);
  });

  it('when the agency owner invites an operator and a tenant owner, then both are accepted with those roles', async () => {
    const agency = await signedIn(owner);
    const op = await agency.post('/api/v1/invitations', { email: `op-${Date.now()}@example.test`, role: 'agency_operator' });
    const to = await agency.post('/api/v1/invitations', { email: `to-${Date.now()}@example.test`, role: 'tenant_owner', tenantId });
    expect([op.status, to.status]).to.deep.equal([201, 201]);
    const a = await new Browser(world.app).post('/api/v1/invitations/accept', { token: tokenOf(op.body.acceptUrl), name: 'Op', password: PASSWORD });
    const b = await new Browser(world.app).post('/api/v1/invitations/accept', { token: tokenOf(to.body.acceptUrl), name: 'To', password: PASSWORD });
    expect([a.body.tenantId, b.body.tenantId]).to.deep.equal([null, tenantId]);
    expect((await agency.get('/api/v1/invitations')).body.invitations).to.be.an('array');
  });

  it('when an existing user is invited, then the answer looks the same and accepting adds a membership without touching the password', async () => {
    const otherTenant = await createTenant(world.db, agencyId);
    const existing = await createPerson(world.db, [{ agencyId, tenantId: otherTenant, role: 'tenant_member' }]);
    const admin = await signedIn(tenantAdmin);
    const invited = await admin.post('/api/v1/invitations', { email: existing.email, role: 'tenant_member' });
    expect(invited.status).to.equal(201);
    expect(Object.keys(invited.body).sort()).to.deep.equal(['acceptUrl', 'delivery', 'invitation', 'mailConfigured']);
    const res = await new Browser(world.app).post('/api/v1/invitations/accept', { token: tokenOf(invited.body.acceptUrl), name: 'Hijack', password: 'a different password' });
    expect(res.status).to.equal(201);
    expect(res.body.accountCreated).to.equal(false);
    expect((await new Browser(world.app).signIn(existing.email, 'a different password')).status).to.equal(401);
    const me = await new Browser(world.app).signIn(existing.email, existing.password);
    expect(me.body.memberships).to.have.length(2);
  });

  it('when SMTP is configured, then the link is mailed and not returned', async () => {
    const mailed = startIdentityApp();
    try {
      const browser = new Browser(mailed.app);
      await browser.signIn(tenantAdmin.email, tenantAdmin.password);
      const email = `mailed-${Date.now()}@example.test`;
      const res = await browser.post('/api/v1/invitations', { email, role: 'tenant_member' });
      expect(res.body.delivery).to.equal('email');
      expect(res.body).to.not.have.property('acceptUrl');
      expect(mailed.mail.lastTokenFor(email)).to.be.a('string');
    } finally {
      await mailed.close();
    }
  });
});
