import type { ScopedDeps } from '../../db/scoped-deps.js';
import { AppError } from '../../http/errors.js';
import type { Actor } from '../../http/request-context.js';
import { auditOrigin } from '../audit/audit-actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { findTenant } from '../tenants/tenant-repository.js';
import { deleteOverride, findOverride, isAgencyUser, listOverrides, type FlagOverride, upsertOverride } from './flag-override-repository.js';
import type { FlagKey } from './flag-registry.js';

export type OverrideScope = { level: 'global' } | { level: 'tenant'; tenantId: string } | { level: 'user'; userId: string };

/** Sets (enabled true/false) or clears (null) one override; audited. Targets outside the agency are 404. */
export async function setFlagOverride(
  deps: ScopedDeps,
  input: { actor: Actor; flagKey: FlagKey; scope: OverrideScope; enabled: boolean | null },
): Promise<FlagOverride | null> {
  const { agencyId } = input.actor.principal;
  const target = {
    agencyId,
    flagKey: input.flagKey,
    tenantId: input.scope.level === 'tenant' ? input.scope.tenantId : null,
    userId: input.scope.level === 'user' ? input.scope.userId : null,
  };
  return deps.runInScope({ agencyId }, async (tx) => {
    if (target.tenantId && !(await findTenant(tx, { agencyId, tenantId: target.tenantId }))) throw new AppError('NOT_FOUND', 'Tenant not found');
    if (target.userId && !(await isAgencyUser(tx, { agencyId, userId: target.userId }))) throw new AppError('NOT_FOUND', 'User not found');
    const before = await findOverride(tx, target);
    const after = input.enabled === null ? null : await upsertOverride(tx, { ...target, enabled: input.enabled });
    if (input.enabled === null) await deleteOverride(tx, target);
    await recordAuditEvent(tx, {
      agencyId,
      tenantId: target.tenantId,
      ...auditOrigin(input.actor),
      action: input.enabled === null ? 'feature_flag.override_cleared' : 'feature_flag.override_set',
      target: { type: 'feature_flag', id: input.flagKey },
      before: before ? { ...input.scope, enabled: before.enabled } : null,
      after: after ? { ...input.scope, enabled: after.enabled } : null,
    });
    return after;
  });
}

export function listFlagOverrides(deps: ScopedDeps, input: { agencyId: string }): Promise<FlagOverride[]> {
  return deps.runInScope({ agencyId: input.agencyId }, (tx) => listOverrides(tx, input.agencyId));
}
