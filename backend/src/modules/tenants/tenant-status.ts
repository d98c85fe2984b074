import type { ScopedDeps } from '../../db/scoped-deps.js';
import { AppError } from '../../http/errors.js';
import { findTenant } from './tenant-repository.js';

/**
 * For sign-in (module auth) and anything acting for a tenant: false when the tenant is suspended or
 * does not belong to the agency.
 */
export async function isTenantActive(deps: ScopedDeps, input: { agencyId: string; tenantId: string }): Promise<boolean> {
  const tenant = await deps.runInScope({ agencyId: input.agencyId, tenantId: input.tenantId }, (tx) => findTenant(tx, input));
  return tenant?.status === 'active';
}

/** Messaging and automations call this before sending anything on a tenant's behalf (403 TENANT_SUSPENDED). */
export async function assertTenantCanSend(deps: ScopedDeps, input: { agencyId: string; tenantId: string }): Promise<void> {
  if (!(await isTenantActive(deps, input))) throw tenantSuspended(input.tenantId, 'nothing is sent on its behalf');
}

export function tenantSuspended(tenantId: string, consequence: string): AppError {
  return new AppError('TENANT_SUSPENDED', `The tenant is suspended (or unknown): ${consequence}`, { reason: 'TENANT_SUSPENDED', tenantId });
}
