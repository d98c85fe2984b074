import { expect } from 'chai';
import { QueryTypes, type Sequelize } from 'sequelize';
import request from 'supertest';
import { scopeRunner } from '../../src/db/tenant-scope.js';
import { AppError } from '../../src/http/errors.js';
import { assertTenantCanSend, isTenantActive } from '../../src/modules/tenants/tenant-status.js';
import { createAgencyWorld, createMember, superuserSequelize, type WorldAgency } from '../support/accounts-world.js';
import { insertToken } from '../support/route-cases.js';
import { actingAsPrincipal, memberPrincipal, TestApi } from '../support/test-api.js';

describe('agency and tenant APIs, service tokens, feature flags, OpenAPI', () => {
  let db: Sequelize;
  let api: TestApi;
  let x: WorldAgency;
  let owner: Record<string, string>;

  before(async () => {
    db = superuserSequelize();
    api = TestApi.create();
    x = await createAgencyWorld(db);
    owner = api.signIn(memberPrincipal(x.id, x.owner));
  });
  after(async () => {
    await api.close();
    await db.close();
  });

  const actions = async (targetId: string) =>
    (
      await db.query<{ action: string }>(`SELECT action FROM audit_events WHERE target_id = :targetId ORDER BY created_at, seq`, {
        replacements: { targetId },
        type: QueryTypes.SELECT,
      })
    ).map((row) => row.action);

  describe('tenants', () => {
    it('when the agency owner creates, suspends and reactivates a tenant, then each step is visible, enforced and audited', async () => {
      const created = await request(api.app).post('/api/v1/agency/tenants').set(owner).send({ name: 'Acme Dental', slug: 'acme-dental', timeZone: 'Europe/Berlin' }).expect(201);
      const tenantId = created.body.id as string;
      await request(api.app).post('/api/v1/agency/tenants').set(owner).send({ name: 'Dup', slug: 'acme-dental', timeZone: 'UTC' }).expect(409);
      const deps = { runInScope: scopeRunner(api.container.sequelize) };
      expect(await isTenantActive(deps, { agencyId: x.id, tenantId })).to.equal(true);
      const suspended = await request(api.app).post(`/api/v1/agency/tenants/${tenantId}/suspend`).set(owner).send({ reason: 'unpaid invoices' }).expect(200);
      expect(suspended.body).to.include({ status: 'suspended', suspendedReason: 'unpaid invoices' });
      expect(await isTenantActive(deps, { agencyId: x.id, tenantId })).to.equal(false);
      let refused: unknown;
      await assertTenantCanSend(deps, { agencyId: x.id, tenantId }).catch((err: unknown) => (refused = err));
      expect(refused).to.be.instanceOf(AppError);
      await request(api.app).post(`/api/v1/agency/tenants/${tenantId}/suspend`).set(owner).send({ reason: 'again please' }).expect(409);
      await request(api.app).post(`/api/v1/agency/tenants/${tenantId}/reactivate`).set(owner).send({}).expect(200);
      await assertTenantCanSend(deps, { agencyId: x.id, tenantId });
      expect(await actions(tenantId)).to.deep.equal(['tenant.created', 'tenant.suspended', 'tenant.reactivated']);
      const list = await request(api.app).get('/api/v1/agency/tenants').query({ status: 'active' }).set(owner).expect(200);
      expect(list.body.tenants.map((t: { id: string }) => t.id)).to.include(tenantId);
    });

    it('when a tenant member asks for their tenant, then they get their own tenant only', async () => {
      const [a] = x.tenants;
      const res = await request(api.app).get('/api/v1/tenant').set(api.signIn(memberPrincipal(x.id, a.users.tenant_member))).expect(200);
      expect(res.body).to.include({ id: a.id, agencyId: x.id });
    });
  });

  describe('memberships and roles', () => {
    it('when the only agency owner is demoted or removed, then it is refused; with a second owner it works', async () => {
      const solo = await createAgencyWorld(db);
      const me = api.signIn(memberPrincipal(solo.id, solo.owner));
      await request(api.app).patch(`/api/v1/agency/memberships/${solo.owner.membershipId}`).set(me).send({ role: 'agency_operator' }).expect(409);
      await request(api.app).delete(`/api/v1/agency/memberships/${solo.owner.membershipId}`).set(me).expect(409);
      await request(api.app).patch(`/api/v1/agency/memberships/${solo.operator.membershipId}`).set(me).send({ role: 'agency_owner' }).expect(200);
      await request(api.app).patch(`/api/v1/agency/memberships/${solo.owner.membershipId}`).set(me).send({ role: 'agency_operator' }).expect(200);
      expect(await actions(solo.owner.membershipId)).to.deep.equal(['membership.role_changed']);
    });

    it('when a tenant admin grants tenant_owner or changes the owner, then it is 403 (no escalation); member to admin works', async () => {
      const [a] = x.tenants;
      const admin = api.signIn(memberPrincipal(x.id, a.users.tenant_admin));
      const member = await createMember(db, { agencyId: x.id, tenantId: a.id, role: 'tenant_member' });
      await request(api.app).patch(`/api/v1/tenant/memberships/${member.membershipId}`).set(admin).send({ role: 'tenant_owner' }).expect(403);
      await request(api.app).patch(`/api/v1/tenant/memberships/${a.users.tenant_owner.membershipId}`).set(admin).send({ role: 'tenant_member' }).expect(403);
      await request(api.app).patch(`/api/v1/tenant/memberships/${member.membershipId}`).set(admin).send({ role: 'agency_owner' }).expect(400);
      const res = await request(api.app).patch(`/api/v1/tenant/memberships/${member.membershipId}`).set(admin).send({ role: 'tenant_admin' }).expect(200);
      expect(res.body.role).to.equal('tenant_admin');
      await request(api.app).delete(`/api/v1/tenant/memberships/${member.membershipId}`).set(admin).expect(204);
      expect(await actions(member.membershipId)).to.deep.equal(['membership.role_changed', 'membership.removed']);
    });

    it('when the last tenant owner is demoted or removed, then it is refused; with a second owner it works', async () => {
      const [, b] = x.tenants;
      const agencyOwner = api.signIn(memberPrincipal(x.id, x.owner));
      const soleOwner = b.users.tenant_owner.membershipId;
      await request(api.app).patch(`/api/v1/agency/memberships/${soleOwner}`).set(agencyOwner).send({ role: 'tenant_admin' }).expect(409);
      await request(api.app).delete(`/api/v1/agency/memberships/${soleOwner}`).set(agencyOwner).expect(409);
      const asOwner = api.signIn(memberPrincipal(x.id, b.users.tenant_owner));
      await request(api.app).patch(`/api/v1/tenant/memberships/${soleOwner}`).set(asOwner).send({ role: 'tenant_member' }).expect(409);
      const second = await createMember(db, { agencyId: x.id, tenantId: b.id, role: 'tenant_member' });
      await request(api.app).patch(`/api/v1/tenant/memberships/${second.membershipId}`).set(asOwner).send({ role: 'tenant_owner' }).expect(200);
      await request(api.app).patch(`/api/v1/tenant/memberships/${soleOwner}`).set(asOwner).send({ role: 'tenant_admin' }).expect(200);
      expect(await actions(soleOwner)).to.deep.equal(['membership.role_changed']);
    });

    it('when an operator acting as a tenant assigns roles, then up to tenant owner (same rule as invitations), never agency roles', async () => {
      const [a] = x.tenants;
      const operator = api.signIn(actingAsPrincipal(x.id, x.operator, a.id));
      const member = await createMember(db, { agencyId: x.id, tenantId: a.id, role: 'tenant_member' });
      const res = await request(api.app).patch(`/api/v1/tenant/memberships/${member.membershipId}`).set(operator).send({ role: 'tenant_owner' }).expect(200);
      expect(res.body.role).to.equal('tenant_owner');
      await request(api.app).patch(`/api/v1/agency/memberships/${x.owner.membershipId}`).set(operator).send({ role: 'agency_operator' }).expect(403);
    });

    it('when users are listed, then the agency sees everyone and a tenant only its own people', async () => {
      const [a, b] = x.tenants;
      const agency = await request(api.app).get('/api/v1/agency/users').set(owner).expect(200);
      const agencyIds = agency.body.users.map((u: { id: string }) => u.id);
      expect(agencyIds).to.include.members([x.owner.userId, a.users.tenant_admin.userId, b.users.tenant_admin.userId]);
      const tenant = await request(api.app).get('/api/v1/tenant/users').set(api.signIn(memberPrincipal(x.id, a.users.tenant_member))).expect(200);
      const tenantIds = tenant.body.users.map((u: { id: string }) => u.id);
      expect(tenantIds).to.include(a.users.tenant_owner.userId);
      expect(tenantIds).to.not.include.members([x.owner.userId, b.users.tenant_owner.userId]);
    });
  });

  describe('service tokens', () => {
    it('when a token is issued, used, rotated and revoked, then it authenticates exactly while live and is shown once', async () => {
      const [a] = x.tenants;
      const admin = api.signIn(memberPrincipal(x.id, a.users.tenant_admin));
      const issued = await request(api.app).post('/api/v1/tenant/service-tokens').set(admin).send({ name: 'n8n', permissions: ['tenant.read', 'tenant.contacts.read'] }).expect(201);
      const token = issued.body.token as string;
      expect(token).to.match(/^sbt_[0-9a-f-]{36}_[A-Za-z0-9_-]{43}$/);
      const listed = await request(api.app).get('/api/v1/tenant/service-tokens').set(admin).expect(200);
      // The secret is base64url (may itself contain '_'); the id part is a UUID, so it is everything after the second '_'.
      const secret = token.split('_').slice(2).join('_');
      expect(secret).to.have.length(43);
      expect(JSON.stringify(listed.body)).to.not.include(secret);
      const [stored] = await db.query<{ secret_hash: string }>('SELECT secret_hash FROM service_tokens WHERE id = :id', { replacements: { id: issued.body.serviceToken.id }, type: QueryTypes.SELECT });
      expect(token).to.not.include(stored!.secret_hash);
      const whoami = await request(api.app).get('/api/v1/service/whoami').set('authorization', `Bearer ${token}`).expect(200);
      expect(whoami.body).to.deep.include({ kind: 'service', tenantId: a.id, agencyId: x.id, permissions: ['tenant.read', 'tenant.contacts.read'] });
      await request(api.app).get('/api/v1/tenant').set('authorization', `Bearer ${token}`).expect(200);
      await request(api.app).get('/api/v1/tenant/users').set('authorization', `Bearer ${token}`).expect(403);
      const [used] = await db.query<{ last_used_at: Date | null }>('SELECT last_used_at FROM service_tokens WHERE id = :id', { replacements: { id: issued.body.serviceToken.id }, type: QueryTypes.SELECT });
      expect(used!.last_used_at).to.be.instanceOf(Date);

      const rotated = await request(api.app).post(`/api/v1/tenant/service-tokens/${issued.body.serviceToken.id}/rotate`).set(admin).send({}).expect(201);
      await request(api.app).get('/api/v1/tenant').set('authorization', `Bearer ${token}`).expect(401);
      await request(api.app).get('/api/v1/tenant').set('authorization', `Bearer ${rotated.body.token}`).expect(200);
      await request(api.app).post(`/api/v1/tenant/service-tokens/${rotated.body.serviceToken.id}/revoke`).set(admin).send({}).expect(200);
      await request(api.app).get('/api/v1/tenant').set('authorization', `Bearer ${rotated.body.token}`).expect(401);
      expect(await actions(issued.body.serviceToken.id)).to.deep.equal(['service_token.created', 'service_token.rotated']);
      expect(await actions(rotated.body.serviceToken.id)).to.deep.equal(['service_token.revoked']);
    });

    it('when a token would hold more than its creator, then it is 403; a tenant token with agency permissions is 400', async () => {
      const [a] = x.tenants;
      const admin = api.signIn(memberPrincipal(x.id, a.users.tenant_admin));
      await request(api.app).post('/api/v1/tenant/service-tokens').set(admin).send({ name: 'greedy', permissions: ['agency.tenants.manage'] }).expect(403);
      await request(api.app).post('/api/v1/agency/service-tokens').set(owner).send({ name: 'mixed', tenantId: a.id, permissions: ['agency.tenants.read'] }).expect(400);
      const operator = api.signIn(actingAsPrincipal(x.id, x.operator, a.id));
      await request(api.app).post('/api/v1/tenant/service-tokens').set(operator).send({ name: 'ok', permissions: ['tenant.read'] }).expect(201);
    });

    it('when an agency token acts for a tenant via x-switchboard-tenant, then it works for its agency\'s tenants and is audited as acting', async () => {
      const [a] = x.tenants;
      const issued = await request(api.app).post('/api/v1/agency/service-tokens').set(owner).send({ name: 'n8n agency', permissions: ['agency.act_as_tenant', 'tenant.read', 'agency.tenants.read'] }).expect(201);
      const auth = { authorization: `Bearer ${issued.body.token}` };
      await request(api.app).get('/api/v1/tenant').set(auth).expect(403); // no tenant chosen
      const res = await request(api.app).get('/api/v1/tenant').set(auth).set('x-switchboard-tenant', a.id).expect(200);
      expect(res.body.id).to.equal(a.id);
      const who = await request(api.app).get('/api/v1/service/whoami').set(auth).set('x-switchboard-tenant', a.id).expect(200);
      expect(who.body).to.include({ tenantId: a.id, actingForTenant: true });
      await request(api.app).get('/api/v1/agency/tenants').set(auth).expect(200);
    });
  });

  describe('suspension stops automations', () => {
    it('when a tenant is suspended, then its tokens and agency tokens acting for it get 403 TENANT_SUSPENDED until it is reactivated', async () => {
      const created = await request(api.app).post('/api/v1/agency/tenants').set(owner).send({ name: 'Paused Co', slug: `paused-${Date.now()}`, timeZone: 'UTC' }).expect(201);
      const tenantId = created.body.id as string;
      const tenantToken = await insertToken(db, { agencyId: x.id, tenantId, permissions: ['tenant.read', 'tenant.messages.send'] });
      const agencyToken = await insertToken(db, { agencyId: x.id, tenantId: null, permissions: ['agency.act_as_tenant', 'agency.tenants.read', 'tenant.read'] });
      const asTenant = { authorization: `Bearer ${tenantToken.token}` };
      const asAgencyForTenant = { authorization: `Bearer ${agencyToken.token}`, 'x-switchboard-tenant': tenantId };
      await request(api.app).get('/api/v1/tenant').set(asTenant).expect(200);
      await request(api.app).post(`/api/v1/agency/tenants/${tenantId}/suspend`).set(owner).send({ reason: 'unpaid invoices' }).expect(200);

      for (const headers of [asTenant, asAgencyForTenant]) {
        for (const path of ['/api/v1/tenant', '/api/v1/service/whoami']) {
          const res = await request(api.app).get(path).set(headers).expect(403);
          expect(res.body.error).to.deep.include({ code: 'TENANT_SUSPENDED' });
          expect(res.body.error.details).to.deep.include({ tenantId });
        }
      }
      // The agency itself keeps working (it is the one that can reactivate the tenant).
      await request(api.app).get('/api/v1/agency/tenants').set('authorization', `Bearer ${agencyToken.token}`).expect(200);
      let refused: unknown;
      await assertTenantCanSend({ runInScope: scopeRunner(api.container.sequelize) }, { agencyId: x.id, tenantId }).catch((err: unknown) => (refused = err));
      expect(refused).to.be.instanceOf(AppError).and.to.include({ code: 'TENANT_SUSPENDED', status: 403 });

      await request(api.app).post(`/api/v1/agency/tenants/${tenantId}/reactivate`).set(owner).send({}).expect(200);
      await request(api.app).get('/api/v1/tenant').set(asTenant).expect(200);
      await request(api.app).get('/api/v1/tenant').set(asAgencyForTenant).expect(200);
    });
  });

  describe('feature flags', () => {
    it('when overrides are set globally, per tenant and per user, then evaluation picks the most specific and changes are audited', async () => {
      const [a, b] = x.tenants;
      const memberA = api.signIn(memberPrincipal(x.id, a.users.tenant_member));
      const memberB = api.signIn(memberPrincipal(x.id, b.users.tenant_member));
      const flag = async (headers: Record<string, string>) =>
        ((await request(api.app).get('/api/v1/features').set(headers).expect(200)).body.flags as { key: string; enabled: boolean; source: string }[]).find((f) => f.key === 'voice.agent')!;
      expect(await flag(memberA)).to.include({ enabled: false, source: 'default' });
      const put = (body: object) => request(api.app).put('/api/v1/agency/feature-flags/voice.agent/override').set(owner).send(body);
      await put({ scope: { level: 'global' }, enabled: true }).expect(200);
      await put({ scope: { level: 'tenant', tenantId: a.id }, enabled: false }).expect(200);
      await put({ scope: { level: 'user', userId: a.users.tenant_member.userId }, enabled: true }).expect(200);
      expect(await flag(memberA)).to.include({ enabled: true, source: 'user' });
      expect(await flag(memberB)).to.include({ enabled: true, source: 'global' });
      expect(await flag(api.signIn(memberPrincipal(x.id, a.users.tenant_admin)))).to.include({ enabled: false, source: 'tenant' });
      await put({ scope: { level: 'user', userId: a.users.tenant_member.userId }, enabled: null }).expect(200);
      expect(await flag(memberA)).to.include({ enabled: false, source: 'tenant' });
      await put({ scope: { level: 'tenant', tenantId: '00000000-0000-4000-8000-000000000000' }, enabled: true }).expect(404);
      expect(await actions('voice.agent')).to.include.members(['feature_flag.override_set', 'feature_flag.override_cleared']);
    });
  });

  describe('OpenAPI', () => {
    it('when /openapi.json is fetched, then it is OpenAPI 3.1 and documents every declared route with its permission', async () => {
      const res = await request(api.app).get('/openapi.json').expect(200);
      expect(res.body.openapi).to.equal('3.1.0');
      for (const route of api.routes) {
        const operation = res.body.paths[route.path.replace(/:([a-zA-Z]+)/g, '{$1}')]?.[route.method];
        expect(operation, `${route.method} ${route.path}`).to.be.an('object');
        expect(operation['x-permission']).to.equal('permission' in route.access ? route.access.permission : null);
      }
      expect(res.body.paths['/api/v1/agency/tenants'].post.requestBody.content['application/json'].schema.required).to.include.members(['name', 'slug', 'timeZone']);
    });
  });
});
