import type { ScopedDeps } from '../../db/scoped-deps.js';
import { AppError } from '../../http/errors.js';
import type { Principal } from '../auth/principal.js';
import { findTenant } from '../tenants/tenant-repository.js';
import { isTenantActive, tenantSuspended } from '../tenants/tenant-status.js';
import { findTokenForBearer, touchLastUsed } from './service-token-repository.js';
import { parseToken, secretMatches } from './token-secret.js';

export type LastUseThrottle = (tokenId: string) => Promise<boolean>;

const rejected = () => new AppError('UNAUTHENTICATED', 'The service token is not valid');

const SUSPENDED = 'its automations and service tokens are stopped';

/**
 * Turns a bearer token into a service principal. An agency token may act for one tenant of its
 * agency when the caller names it (and the token may act as a tenant); a tenant token never changes tenant.
 * Suspending a tenant stops its automations: its tokens, and agency tokens acting for it, get 403 TENANT_SUSPENDED.
 */
export async function authenticateServiceToken(
  deps: ScopedDeps & { shouldRecordUse: LastUseThrottle },
  input: { token: string; actForTenantId?: string },
): Promise<Principal & { kind: 'service' }> {
  const parsed = parseToken(input.token);
  if (!parsed) throw rejected();
  const token = await deps.runInScope({ serviceTokenId: parsed.id }, (tx) => findTokenForBearer(tx, parsed.id));
  if (!token || token.revokedAt || !secretMatches(parsed.secret, token.secretHash)) throw rejected();
  const principal: Principal & { kind: 'service' } = {
    kind: 'service',
    tokenId: token.id,
    agencyId: token.agencyId,
    tenantId: token.tenantId ?? undefined,
    permissions: new Set(token.permissions),
  };
  if (input.actForTenantId && input.actForTenantId !== token.tenantId) {
    if (token.tenantId) throw new AppError('FORBIDDEN', 'A tenant token cannot act for another tenant');
    if (!principal.permissions.has('agency.act_as_tenant')) throw new AppError('FORBIDDEN', 'This token may not act as a tenant');
    const tenant = await deps.runInScope({ agencyId: token.agencyId }, (tx) =>
      findTenant(tx, { agencyId: token.agencyId, tenantId: input.actForTenantId! }),
    );
    if (!tenant) throw new AppError('FORBIDDEN', 'That tenant is not one of your agency');
    if (tenant.status !== 'active') throw tenantSuspended(tenant.id, SUSPENDED);
    principal.tenantId = tenant.id;
    principal.actingForTenant = true;
  } else if (token.tenantId && !(await isTenantActive(deps, { agencyId: token.agencyId, tenantId: token.tenantId }))) {
    throw tenantSuspended(token.tenantId, SUSPENDED);
  }
  if (await deps.shouldRecordUse(token.id)) {
    await deps.runInScope({ agencyId: token.agencyId }, (tx) => touchLastUsed(tx, token.id));
  }
  return principal;
}
