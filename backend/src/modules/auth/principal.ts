import type { Permission, Role } from './permissions.js';

/**
 * Who is calling, resolved once per request by authentication middleware and stored on
 * `req.principal`. Tenant scope comes ONLY from here (never from a body field).
 *
 * - user: a person with a cookie session. `tenantId` is the tenant they act in (their tenant
 *   membership, or, for agency staff, an explicit audited "act as tenant"); undefined = agency level.
 * - service: a machine with a service token, scoped to an agency or one tenant and a permission list.
 */
export type Principal =
  | {
      kind: 'user';
      userId: string;
      agencyId: string;
      sessionId: string;
      role: Role;
      tenantId?: string;
      /** Set when agency staff act as a tenant: the agency role they really hold. */
      actingAs?: { agencyRole: Role };
      permissions: ReadonlySet<Permission>;
    }
  | {
      kind: 'service';
      tokenId: string;
      agencyId: string;
      tenantId?: string;
      /** True when an agency-scoped token acts for `tenantId` (x-switchboard-tenant header). */
      actingForTenant?: boolean;
      permissions: ReadonlySet<Permission>;
    };

export function actorId(principal: Principal): string {
  return principal.kind === 'user' ? principal.userId : principal.tokenId;
}

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

/** Whether the principal acts in a tenant on behalf of the agency (staff "act as", agency tokens). */
export function actingAsTenantId(principal: Principal): string | null {
  if (!principal.tenantId) return null;
  if (principal.kind === 'user') return principal.actingAs ? principal.tenantId : null;
  return principal.actingForTenant ? principal.tenantId : null;
}

/** A person signed in with a cookie session. */
export type UserPrincipal = Extract<Principal, { kind: 'user' }>;
