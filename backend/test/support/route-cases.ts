import { randomUUID } from 'node:crypto';
import { QueryTypes, type Sequelize } from 'sequelize';
import type { Permission } from '../../src/modules/auth/permissions.js';
import type { Principal } from '../../src/modules/auth/principal.js';
import { formatToken, newSecret } from '../../src/modules/service-tokens/token-secret.js';
import { createMember } from './accounts-world.js';

/** Ids a request may aim at: those of the caller's own tenant, or (cross-tenant matrix) someone else's. */
export type Target = { agencyId: string; tenantId: string };
export type CaseRequest = { params?: Record<string, string>; query?: Record<string, string>; body?: unknown };
export type RouteCase = (db: Sequelize, target: Target) => Promise<CaseRequest>;

/** Inserts a live token (beneath RLS) and returns its full bearer value. */
export async function insertToken(
  db: Sequelize,
  input: { agencyId: string; tenantId: string | null; permissions: readonly Permission[]; revoked?: boolean },
): Promise<{ id: string; token: string }> {
  const { secret, secretHash } = newSecret();
  const [row] = await db.query<{ id: string }>(
    `INSERT INTO service_tokens (agency_id, tenant_id, name, permissions, secret_hash, created_by_type, created_by_id, revoked_at)
     VALUES (:agencyId, :tenantId, :name, CAST(ARRAY[:permissions] AS text[]), :secretHash, 'system', 'test', :revokedAt) RETURNING id`,
    {
      replacements: { ...input, name: `token ${randomUUID().slice(0, 6)}`, secretHash, revokedAt: input.revoked ? new Date().toISOString() : null },
      type: QueryTypes.SELECT,
    },
  );
  return { id: row!.id, token: formatToken(row!.id, secret) };
}

const freshMembership = async (db: Sequelize, t: Target) =>
  ({ membershipId: (await createMember(db, { agencyId: t.agencyId, tenantId: t.tenantId, role: 'tenant_member' })).membershipId });
const freshToken = async (db: Sequelize, t: Target) =>
  ({ tokenId: (await insertToken(db, { agencyId: t.agencyId, tenantId: t.tenantId, permissions: ['tenant.read'] })).id });
const slug = () => `m-${randomUUID().slice(0, 8)}`;

/**
 * A valid request for EVERY declared route, aimed at `target`. The matrices fail on a route missing
 * here, so a new route cannot skip them.
 */
export const ROUTE_CASES: Record<string, RouteCase> = {
  'post /api/v1/agency/tenants': async () => ({ body: { name: 'Matrix Co', slug: slug(), timeZone: 'Europe/Berlin' } }),
  'get /api/v1/agency/tenants': async () => ({}),
  'get /api/v1/agency/tenants/:tenantId': async (_db, t) => ({ params: { tenantId: t.tenantId } }),
  'post /api/v1/agency/tenants/:tenantId/suspend': async (_db, t) => ({ params: { tenantId: t.tenantId }, body: { reason: 'unpaid invoices' } }),
  'post /api/v1/agency/tenants/:tenantId/reactivate': async (_db, t) => ({ params: { tenantId: t.tenantId }, body: {} }),
  'get /api/v1/tenant': async () => ({}),
  'get /api/v1/agency/users': async () => ({}),
  'patch /api/v1/agency/memberships/:membershipId': async (db, t) => ({ params: await freshMembership(db, t), body: { role: 'tenant_admin' } }),
  'delete /api/v1/agency/memberships/:membershipId': async (db, t) => ({ params: await freshMembership(db, t) }),
  'get /api/v1/tenant/users': async () => ({}),
  'patch /api/v1/tenant/memberships/:membershipId': async (db, t) => ({ params: await freshMembership(db, t), body: { role: 'tenant_admin' } }),
  'delete /api/v1/tenant/memberships/:membershipId': async (db, t) => ({ params: await freshMembership(db, t) }),
  'post /api/v1/agency/service-tokens': async (_db, t) => ({ body: { name: 'n8n', permissions: ['tenant.read'], tenantId: t.tenantId } }),
  'get /api/v1/agency/service-tokens': async () => ({}),
  'post /api/v1/agency/service-tokens/:tokenId/rotate': async (db, t) => ({ params: await freshToken(db, t), body: {} }),
  'post /api/v1/agency/service-tokens/:tokenId/revoke': async (db, t) => ({ params: await freshToken(db, t), body: {} }),
  'post /api/v1/tenant/service-tokens': async () => ({ body: { name: 'script', permissions: ['tenant.read'] } }),
  'get /api/v1/tenant/service-tokens': async () => ({}),
  'post /api/v1/tenant/service-tokens/:tokenId/rotate': async (db, t) => ({ params: await freshToken(db, t), body: {} }),
  'post /api/v1/tenant/service-tokens/:tokenId/revoke': async (db, t) => ({ params: await freshToken(db, t), body: {} }),
  'get /api/v1/service/whoami': async () => ({}),
  'get /api/v1/agency/audit/events': async (_db, t) => ({ query: { tenantId: t.tenantId } }),
  'get /api/v1/agency/audit/export': async (_db, t) => ({ query: { tenantId: t.tenantId, format: 'json' } }),
  'get /api/v1/tenant/audit/events': async () => ({}),
  'get /api/v1/tenant/audit/export': async () => ({ query: { format: 'csv' } }),
  'get /api/v1/agency/audit/verify': async () => ({}),
  'get /api/v1/features': async () => ({}),
  'get /api/v1/agency/feature-flags': async () => ({}),
  'put /api/v1/agency/feature-flags/:flagKey/override': async (_db, t) => ({
    params: { flagKey: 'inbox.unified' },
    body: { scope: { level: 'tenant', tenantId: t.tenantId }, enabled: true },
  }),
};

export function routeKey(route: { method: string; path: string }): string {
  return `${route.method} ${route.path}`;
}

export function fillPath(path: string, params: Record<string, string> = {}): string {
  return path.replace(/:([a-zA-Z]+)/g, (_m, name: string) => encodeURIComponent(params[name] ?? 'missing'));
}

export function describePrincipal(principal: Principal): string {
  if (principal.kind === 'service') return `service token (${principal.tenantId ? 'tenant' : 'agency'})`;
  return principal.actingAs ? `${principal.actingAs.agencyRole} acting as tenant` : principal.role;
}
