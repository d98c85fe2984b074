import type { ScopedDeps } from '../../db/scoped-deps.js';
import { AppError } from '../../http/errors.js';
import { findTenant, listTenants as selectTenants, type Tenant, type TenantStatus } from './tenant-repository.js';

/** A tenant of the caller's agency, or (with tenantId in scope) the caller's own tenant; else 404. */
export async function getTenant(deps: ScopedDeps, input: { agencyId: string; tenantId: string; scopeTenantId?: string }): Promise<Tenant> {
  const tenant = await deps.runInScope({ agencyId: input.agencyId, tenantId: input.scopeTenantId }, (tx) =>
    findTenant(tx, { agencyId: input.agencyId, tenantId: input.tenantId }),
  );
  if (!tenant) throw new AppError('NOT_FOUND', 'Tenant not found');
  return tenant;
}

export function listTenants(
  deps: ScopedDeps,
  input: { agencyId: string; status?: TenantStatus; limit: number; offset: number },
): Promise<Tenant[]> {
  return deps.runInScope({ agencyId: input.agencyId }, (tx) => selectTenants(tx, input));
}
