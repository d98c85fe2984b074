import type { Actor } from '../../http/request-context.js';

/** A tenant's scope, from the authenticated principal or a verified webhook: RLS needs both ids. */
export type TenantScope = { agencyId: string; tenantId: string };

/** The caller's tenant (tenant.* routes only run with one in scope: see http/authorize.ts). */
export function tenantScopeOf(actor: Actor): TenantScope {
  return { agencyId: actor.principal.agencyId, tenantId: actor.principal.tenantId! };
}
