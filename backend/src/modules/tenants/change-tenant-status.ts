import type { ScopedDeps } from '../../db/scoped-deps.js';
import { AppError } from '../../http/errors.js';
import type { Actor } from '../../http/request-context.js';
import { auditOrigin } from '../audit/audit-actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { findTenant, updateTenantStatus, type Tenant } from './tenant-repository.js';

/** Suspends a tenant: its users can no longer sign in and its automations stop sending. */
export function suspendTenant(deps: ScopedDeps, input: { actor: Actor; tenantId: string; reason: string }): Promise<Tenant> {
  return changeStatus(deps, { ...input, status: 'suspended', action: 'tenant.suspended' });
}

export function reactivateTenant(deps: ScopedDeps, input: { actor: Actor; tenantId: string }): Promise<Tenant> {
  return changeStatus(deps, { ...input, reason: null, status: 'active', action: 'tenant.reactivated' });
}

async function changeStatus(
  deps: ScopedDeps,
  input: { actor: Actor; tenantId: string; reason: string | null; status: Tenant['status']; action: string },
): Promise<Tenant> {
  const { agencyId } = input.actor.principal;
  return deps.runInScope({ agencyId }, async (tx) => {
    const before = await findTenant(tx, { agencyId, tenantId: input.tenantId, forUpdate: true });
    if (!before) throw new AppError('NOT_FOUND', 'Tenant not found');
    if (before.status === input.status) throw new AppError('CONFLICT', `The tenant is already ${input.status}`);
    const after = await updateTenantStatus(tx, { agencyId, tenantId: input.tenantId, status: input.status, reason: input.reason });
    await recordAuditEvent(tx, {
      agencyId,
      tenantId: after.id,
      ...auditOrigin(input.actor),
      action: input.action,
      target: { type: 'tenant', id: after.id },
      before: { status: before.status, suspendedReason: before.suspendedReason },
      after: { status: after.status, suspendedReason: after.suspendedReason },
    });
    return after;
  });
}
