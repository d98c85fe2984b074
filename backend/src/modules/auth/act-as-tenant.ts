import { AppError } from '../../http/errors.js';
import { findTenantOfAgency } from './account-repository.js';
import type { AuthDeps, RequestMeta } from './auth-deps.js';
import { roleCan } from './permissions.js';
import type { Principal } from './principal.js';

type UserPrincipal = Extract<Principal, { kind: 'user' }>;
type Deps = Pick<AuthDeps, 'runInScope' | 'sessions' | 'recordAuditEvent'>;

/** Agency staff start acting inside one of their agency's tenants (audited in that tenant's trail). */
export async function startActingAsTenant(deps: Deps, principal: UserPrincipal, tenantId: string, meta: RequestMeta): Promise<void> {
  const agencyRole = principal.actingAs?.agencyRole ?? principal.role;
  if (!roleCan(agencyRole, 'agency.act_as_tenant')) {
    throw new AppError('FORBIDDEN', 'Only agency staff can act as a tenant', { permission: 'agency.act_as_tenant' });
  }
  const session = await deps.sessions.readByKey(principal.sessionId);
  if (!session) throw new AppError('UNAUTHENTICATED', 'Your session has ended; sign in again');
  await deps.runInScope({ agencyId: principal.agencyId }, async (t) => {
    const tenant = await findTenantOfAgency(t, principal.agencyId, tenantId);
    if (!tenant) throw new AppError('NOT_FOUND', 'No such tenant in your agency');
    await deps.recordAuditEvent(t, {
      agencyId: principal.agencyId,
      tenantId,
      actor: { type: 'user', id: principal.userId, actingAsTenantId: tenantId },
      action: 'auth.act_as_tenant.started',
      target: { type: 'tenant', id: tenantId },
      before: principal.actingAs ? { actingAsTenantId: principal.tenantId } : null,
      after: { actingAsTenantId: tenantId, agencyRole },
      requestId: meta.requestId,
      ip: meta.ip,
    });
    await deps.sessions.update({ ...session, actingAs: { tenantId, agencyId: principal.agencyId } });
  });
}

/** Back to the agency level. Idempotent: stopping when not acting changes nothing. */
export async function stopActingAsTenant(deps: Deps, principal: UserPrincipal, meta: RequestMeta): Promise<void> {
  if (!principal.actingAs || !principal.tenantId) return;
  const tenantId = principal.tenantId;
  const session = await deps.sessions.readByKey(principal.sessionId);
  if (!session) throw new AppError('UNAUTHENTICATED', 'Your session has ended; sign in again');
  await deps.runInScope({ agencyId: principal.agencyId }, async (t) => {
    await deps.recordAuditEvent(t, {
      agencyId: principal.agencyId,
      tenantId,
      actor: { type: 'user', id: principal.userId, actingAsTenantId: tenantId },
      action: 'auth.act_as_tenant.stopped',
      target: { type: 'tenant', id: tenantId },
      before: { actingAsTenantId: tenantId },
      requestId: meta.requestId,
      ip: meta.ip,
    });
    await deps.sessions.update({ ...session, actingAs: undefined });
  });
}
