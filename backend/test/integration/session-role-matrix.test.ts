import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import request from 'supertest';
import { accessPermissions, isTenantPermission } from '../../src/http/authorize.js';
import type { RouteSpec } from '../../src/http/route-registry.js';
import { buildApi } from '../../src/http/routes.js';
import { PERMISSIONS, ROLE_PERMISSIONS, type Permission, type Role } from '../../src/modules/auth/permissions.js';
import { Browser } from '../support/browser.js';
import { startIdentityApp, type IdentityApp } from '../support/identity-app.js';
import { createAgency, createPerson, createTenant } from '../support/identity-world.js';
import { fillPath, ROUTE_CASES, routeKey } from '../support/route-cases.js';
import { memberPrincipal, TEST_PRINCIPAL_HEADER, TestApi } from '../support/test-api.js';

const SRC = new URL('../../src/', import.meta.url).pathname;

type Caller = { label: string; browser: Browser; permissions: ReadonlySet<Permission>; inTenant: boolean };

/** One route per permission that some route requires (a GET when there is one: fewer side effects). */
function oneRoutePerPermission(routes: RouteSpec[]): Map<Permission, RouteSpec> {
  const chosen = new Map<Permission, RouteSpec>();
  for (const permission of PERMISSIONS) {
    const candidates = routes.filter((route) => accessPermissions(route.access).includes(permission));
    const pick = candidates.find((route) => route.method === 'get') ?? candidates[0];
    if (pick) chosen.set(permission, pick);
  }
  return chosen;
}

function allowed(route: RouteSpec, caller: Caller): boolean {
  const { access } = route;
  if ('permission' in access) {
    return caller.permissions.has(access.permission) && (!isTenantPermission(access.permission) || caller.inTenant);
  }
  return accessPermissions(access).some((p) => caller.permissions.has(p));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

describe('role matrix through real sessions: password login, session cookie, CSRF token (the production app)', () => {
  let world: IdentityApp;
  let routes: RouteSpec[];
  let agencyId: string;
  let tenantId: string;
  let callers: Caller[];
  let ownerId: string;

  before(async () => {
    world = startIdentityApp(); // createApiApp: exactly what src/server.ts serves
    routes = buildApi(world.container).routes;
    agencyId = await createAgency(world.db);
    tenantId = await createTenant(world.db, agencyId);
    const signIn = async (role: Role, inTenant: boolean, actAs = false): Promise<Caller> => {
      const person = await createPerson(world.db, [{ agencyId, tenantId: inTenant && !actAs ? tenantId : null, role }]);
      if (role === 'agency_owner') ownerId = person.id;
      const browser = new Browser(world.app);
      const login = await browser.signIn(person.email, person.password);
      expect(login.status, `login as ${role}`).to.equal(200);
      expect(browser.cookies.has('sb_session') && browser.cookies.has('sb_csrf')).to.equal(true);
      if (actAs) expect((await browser.post('/api/v1/auth/act-as-tenant', { tenantId })).status).to.equal(200);
      const me = await browser.get('/api/v1/auth/me');
      expect(me.body.tenantId, role).to.equal(inTenant ? tenantId : null);
      return { label: actAs ? `${role} acting as tenant` : role, browser, permissions: ROLE_PERMISSIONS[role], inTenant };
    };
    callers = [
      await signIn('agency_owner', false),
      await signIn('agency_operator', false),
      await signIn('tenant_owner', true),
      await signIn('tenant_admin', true),
      await signIn('tenant_member', true),
      await signIn('agency_owner', true, true),
      await signIn('agency_operator', true, true),
    ];
  });
  after(() => world.close());

  it('when each signed-in role calls one route per permission, then it gets exactly what the permission map says', async () => {
    const chosen = oneRoutePerPermission(routes);
    const named = new Set(routes.flatMap((route) => accessPermissions(route.access)));
    expect([...chosen.keys()].sort(), 'every permission a route requires is exercised').to.deep.equal([...named].sort());
    // Acting as a tenant changes the session: that route goes last.
    const slice = [...new Set(chosen.values())].sort((a, b) => Number(a.path.includes('act-as')) - Number(b.path.includes('act-as')));
    const failures: string[] = [];
    for (const caller of callers) {
      for (const route of slice) {
        const req = await ROUTE_CASES[routeKey(route)]!(world.db, { agencyId, tenantId });
        const res = await caller.browser.send(route.method, fillPath(route.path, req.params), req);
        const expected = allowed(route, caller);
        if (process.env.MATRIX_DEBUG) console.log(routeKey(route), caller.label, res.status);
        const ok = expected ? res.status < 500 && res.status !== 401 && res.status !== 403 : res.status === 403;
        if (!ok) failures.push(`${routeKey(route)} as ${caller.label}: ${res.status} (expected ${expected ? 'allowed' : '403'}) ${JSON.stringify(res.body).slice(0, 160)}`);
      }
    }
    expect(failures).to.deep.equal([]);
    expect(slice.length).to.be.greaterThanOrEqual(named.size / 2);
  });

  it('when the test-only principal header is sent to the production app, then it is ignored (401); only the test harness knows it', async () => {
    const harness = TestApi.create();
    try {
      const headers = harness.signIn(memberPrincipal(agencyId, { userId: ownerId, membershipId: 'n/a', role: 'agency_owner', tenantId: null }));
      await request(harness.app).get('/api/v1/agency/tenants').set(headers).expect(200);
      const res = await request(world.app).get('/api/v1/agency/tenants').set(headers).expect(401);
      expect(res.body.error.code).to.equal('UNAUTHENTICATED');
    } finally {
      await harness.close();
    }
    expect(readFileSync(join(SRC, 'server.ts'), 'utf8')).to.match(/createApiApp\(container\)/);
    const mentions = sourceFiles(SRC).filter((file) => readFileSync(file, 'utf8').toLowerCase().includes(TEST_PRINCIPAL_HEADER));
    expect(mentions, 'backend/src must not know the test principal header').to.deep.equal([]);
  });
});
