import { expect } from 'chai';
import type { Sequelize } from 'sequelize';
import request from 'supertest';
import { isTenantPermission } from '../../src/http/authorize.js';
import type { RouteSpec } from '../../src/http/route-registry.js';
import { PERMISSIONS } from '../../src/modules/auth/permissions.js';
import type { Principal } from '../../src/modules/auth/principal.js';
import { createAgencyWorld, superuserSequelize, type WorldAgency } from '../support/accounts-world.js';
import { messagingIdsOf } from '../support/messaging-world.js';
import { TEMPLATE_KEYS } from '../../src/modules/automation-templates/template-catalog.js';
import { describePrincipal, fillPath, insertToken, ROUTE_CASES, routeKey, type CaseRequest, type Target } from '../support/route-cases.js';
import { actingAsPrincipal, memberPrincipal, TestApi } from '../support/test-api.js';

const TENANT_PERMISSIONS = PERMISSIONS.filter(isTenantPermission);

const isPublic = (route: RouteSpec) => 'public' in route.access;

/** What the route's declared access (the permission map) says about this principal. */
function accessAllows(route: RouteSpec, principal: Principal): boolean {
  const { access } = route;
  if ('public' in access) return true;
  if (access.kinds && !access.kinds.includes(principal.kind)) return false;
  if ('permission' in access) {
    return principal.permissions.has(access.permission) && (!isTenantPermission(access.permission) || !!principal.tenantId);
  }
  if ('anyPermission' in access) return access.anyPermission.some((p) => principal.permissions.has(p));
  return true;
}

/** Rules of a use case the permission map cannot express (one line each, with the reason). */
const USE_CASE_RULES: Record<string, (principal: Principal) => boolean> = {
  // Switching is between your own tenant memberships: agency staff have none (they act as a tenant instead).
  'post /api/v1/auth/switch-tenant': (p) => p.kind === 'user' && !p.actingAs && !!p.tenantId,
};

function expectedAllowed(route: RouteSpec, principal: Principal): boolean {
  return accessAllows(route, principal) && (USE_CASE_RULES[routeKey(route)]?.(principal) ?? true);
}

type Caller = { label: string; headers: Record<string, string>; principal?: Principal };

describe('authorization matrices over every declared route', () => {
  let db: Sequelize;
  let api: TestApi;
  let x: WorldAgency; // the agency under attack / the callers' own agency
  let y: WorldAgency; // another agency on the same installation
  let ROUTES: RouteSpec[];

  before(async () => {
    db = superuserSequelize();
    api = TestApi.create();
    ROUTES = api.routes;
    x = await createAgencyWorld(db);
    y = await createAgencyWorld(db);
  });
  after(async () => {
    await api.close();
    await db.close();
  });

  function send(route: RouteSpec, headers: Record<string, string>, req: CaseRequest) {
    const call = request(api.app)[route.method](fillPath(route.path, req.params)).set(headers);
    if (req.query) call.query(req.query);
    return req.body === undefined ? call : call.send(req.body as object);
  }

  const user = (principal: Principal): Caller => ({ label: describePrincipal(principal), headers: api.signIn(principal), principal });
  const bearer = async (label: string, input: Parameters<typeof insertToken>[1], actFor?: string): Promise<Caller> => {
    const { token } = await insertToken(db, input);
    return { label, headers: { authorization: `Bearer ${token}`, ...(actFor ? { 'x-switchboard-tenant': actFor } : {}) } };
  };

  it('when the registry is walked, then every route has a matrix case (no route escapes the matrices)', () => {
    const missing = ROUTES.map(routeKey).filter((key) => !ROUTE_CASES[key]);
    expect(missing, 'routes without a case in test/support/route-cases.ts').to.deep.equal([]);
  });

  it('when nobody is signed in, then every guarded route answers 401 and every public route works', async () => {
    expect(ROUTES.filter(isPublic).length, 'public routes in the registry').to.be.greaterThan(5);
    for (const route of ROUTES) {
      const req = await ROUTE_CASES[routeKey(route)]!(db, { agencyId: x.id, tenantId: x.tenants[0].id });
      const res = await send(route, {}, req);
      if (isPublic(route)) expect(res.status, `${routeKey(route)} ${JSON.stringify(res.body)}`).to.be.within(200, 399);
      else expect(res.status, `${routeKey(route)}`).to.equal(401);
    }
  });

  it('when a revoked or unknown service token is sent, then every route answers 401', async () => {
    const revoked = await insertToken(db, { agencyId: x.id, tenantId: null, permissions: PERMISSIONS, revoked: true });
    const forged = `sbt_${revoked.id}_${'A'.repeat(43)}`;
    for (const token of [revoked.token, forged, 'sbt_garbage']) {
      for (const route of ROUTES) {
        const req = await ROUTE_CASES[routeKey(route)]!(db, { agencyId: x.id, tenantId: x.tenants[0].id });
        const res = await send(route, { authorization: `Bearer ${token}` }, req);
        expect(res.status, `${routeKey(route)} with ${token.slice(0, 12)}`).to.equal(401);
      }
    }
  });

  describe('role matrix: each role x each route gets exactly what the permission map says', function () {
    // Hundreds of real requests in one test: ~5 s on an idle machine, several times that under load.
    this.timeout(120_000);
    it('when each role calls each route in its own scope, then it is allowed exactly when its role holds the permission', async () => {
      const [a] = x.tenants;
      const callers = [
        user(memberPrincipal(x.id, x.owner)),
        user(memberPrincipal(x.id, x.operator)),
        user(memberPrincipal(x.id, a.users.tenant_owner)),
        user(memberPrincipal(x.id, a.users.tenant_admin)),
        user(memberPrincipal(x.id, a.users.tenant_member)),
        user(actingAsPrincipal(x.id, x.owner, a.id)),
        user(actingAsPrincipal(x.id, x.operator, a.id)),
      ];
      const failures: string[] = [];
      let checked = 0;
      let succeeded = 0;
      for (const route of ROUTES) {
        for (const caller of callers) {
          const principal = caller.principal!;
          const expected = expectedAllowed(route, principal);
          const req = await ROUTE_CASES[routeKey(route)]!(db, { agencyId: x.id, tenantId: a.id });
          const res = await send(route, caller.headers, req);
          const allowed = res.status !== 403 && res.status !== 401;
          checked += 1;
          if (allowed) succeeded += res.status < 300 ? 1 : 0;
          if (process.env.MATRIX_DEBUG) console.log(routeKey(route), caller.label, res.status);
          if (res.status >= 500 || allowed !== expected) {
            failures.push(`${routeKey(route)} as ${caller.label}: ${res.status} (expected ${expected ? 'allowed' : '403'}) ${JSON.stringify(res.body).slice(0, 200)}`);
          }
        }
      }
      expect(failures).to.deep.equal([]);
      expect(checked).to.equal(ROUTES.length * callers.length);
      expect(succeeded, 'allowed calls that actually succeeded (2xx)').to.be.greaterThan(ROUTES.length);
    });
  });

  describe('cross-tenant matrix: ids of another tenant or agency never yield data', () => {
    // Path parameters that name something every tenant has (an event type, an automation message), not a record of the victim.
    const NAMES_NOT_IDS = new Set<string>(['inbox.unified', ...TEMPLATE_KEYS]);
    async function expectNoLeak(callers: Caller[], routes: RouteSpec[], victim: Target, victimIds: () => Promise<string[]>) {
      const failures: string[] = [];
      for (const route of routes) {
        for (const caller of callers) {
          const req = await ROUTE_CASES[routeKey(route)]!(db, victim);
          const res = await send(route, caller.headers, req);
          const aimed = Object.values(req.params ?? {}).some((v) => !NAMES_NOT_IDS.has(v)) || JSON.stringify(req.body ?? {}).includes(victim.tenantId);
          const text = JSON.stringify(res.body) + (res.text ?? '');
          const leaked = (await victimIds()).filter((id) => text.includes(id) && !JSON.stringify(req).includes(id));
          if (res.status >= 500 || res.status === 401) failures.push(`${routeKey(route)} as ${caller.label}: ${res.status}`);
          if (aimed && ![403, 404].includes(res.status)) failures.push(`${routeKey(route)} as ${caller.label}: ${res.status}, expected 403/404`);
          if (leaked.length > 0) failures.push(`${routeKey(route)} as ${caller.label}: response names ${leaked.join(', ')}`);
          if (aimed && /"(id|tenantId)":"/.test(text) && text.includes(victim.tenantId)) failures.push(`${routeKey(route)} as ${caller.label}: returned victim data`);
        }
      }
      expect(failures).to.deep.equal([]);
    }

    async function idsOf(victimTenantId: string): Promise<string[]> {
      const [rows] = (await db.query(
        `SELECT id::text FROM memberships WHERE tenant_id = :t UNION ALL SELECT user_id::text FROM memberships WHERE tenant_id = :t
         UNION ALL SELECT id::text FROM service_tokens WHERE tenant_id = :t UNION ALL SELECT :t`,
        { replacements: { t: victimTenantId } },
      )) as [{ id: string }[], unknown];
      return [...rows.map((row) => row.id), ...(await messagingIdsOf(db, victimTenantId))];
    }

    it('when users and tokens of tenant A aim tenant-level routes at tenant B, then they get 403/404 and nothing of B', async () => {
      const [a, b] = x.tenants;
      const callers = [
        user(memberPrincipal(x.id, a.users.tenant_owner)),
        user(memberPrincipal(x.id, a.users.tenant_admin)),
        user(actingAsPrincipal(x.id, x.owner, a.id)),
        await bearer('tenant A token', { agencyId: x.id, tenantId: a.id, permissions: TENANT_PERMISSIONS }),
        await bearer('agency token acting for A', { agencyId: x.id, tenantId: null, permissions: PERMISSIONS }, a.id),
      ];
      // Public routes are out: they have no principal scope, the token in the body is the credential.
      const routes = ROUTES.filter((route) => route.scope !== 'agency' && !isPublic(route));
      await expectNoLeak(callers, routes, { agencyId: x.id, tenantId: b.id }, () => idsOf(b.id));
      const [status] = (await db.query('SELECT status FROM tenants WHERE id = :id', { replacements: { id: b.id } })) as [{ status: string }[], unknown];
      expect(status[0]!.status).to.equal('active');
    });

    it('when staff and tokens of another agency aim agency-level routes at this agency, then they get 403/404 and nothing of it', async () => {
      const [a] = x.tenants;
      const callers = [
        user(memberPrincipal(y.id, y.owner)),
        user(memberPrincipal(y.id, y.operator)),
        await bearer('other agency token', { agencyId: y.id, tenantId: null, permissions: PERMISSIONS }),
      ];
      const routes = ROUTES.filter((route) => !isPublic(route));
      await expectNoLeak(callers, routes, { agencyId: x.id, tenantId: a.id }, async () => [x.id, ...(await idsOf(a.id))]);
    });

    it('when a tenant token names another tenant in x-switchboard-tenant, then it is refused', async () => {
      const [a, b] = x.tenants;
      const caller = await bearer('tenant A token', { agencyId: x.id, tenantId: a.id, permissions: TENANT_PERMISSIONS }, b.id);
      await request(api.app).get('/api/v1/tenant').set(caller.headers).expect(403);
    });

    it('when an agency token names a tenant of another agency, then it is refused', async () => {
      const caller = await bearer('agency token', { agencyId: x.id, tenantId: null, permissions: PERMISSIONS }, y.tenants[0].id);
      await request(api.app).get('/api/v1/tenant').set(caller.headers).expect(403);
    });
  });
});
