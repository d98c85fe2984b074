import type { Transaction } from 'sequelize';
import type { ScopedDeps } from '../../db/scoped-deps.js';
import { AppError } from '../../http/errors.js';
import type { Actor } from '../../http/request-context.js';
import { auditOrigin } from '../audit/audit-actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { Role } from '../auth/permissions.js';
import { canGrantRole, roleFitsPlace } from '../auth/role-grants.js';
import { deleteMembership, findMembershipForUpdate, lockOwners, updateMembershipRole, type Membership } from './membership-repository.js';

/** 'agency': any membership of the caller's agency; 'tenant': only memberships of the caller's tenant. */
export type MembershipLevel = 'agency' | 'tenant';
type Input = { actor: Actor; level: MembershipLevel; membershipId: string };

export async function changeMembershipRole(deps: ScopedDeps, input: Input & { role: Role }): Promise<Membership> {
  return inScope(deps, input, async (tx, membership, agencyId) => {
    if (!roleFitsPlace(input.role, membership)) {
      throw new AppError('VALIDATION_FAILED', 'The request is not valid', [
        { path: 'body.role', message: membership.tenantId ? 'must be a tenant role' : 'must be an agency role' },
      ]);
    }
    if (!canGrantRole(input.actor.principal, input.role, membership, 'manage')) {
      throw new AppError('FORBIDDEN', 'You cannot grant a role above your own');
    }
    if (membership.role === input.role) return membership;
    await assertNotLastOwner(tx, membership, agencyId);
    const after = await updateMembershipRole(tx, { agencyId, membershipId: membership.id, role: input.role });
    await audit(tx, input.actor, membership, 'membership.role_changed', { role: after.role });
    return after;
  });
}

export async function removeMembership(deps: ScopedDeps, input: Input): Promise<void> {
  await inScope(deps, input, async (tx, membership, agencyId) => {
    await assertNotLastOwner(tx, membership, agencyId);
    await deleteMembership(tx, { agencyId, membershipId: membership.id });
    await audit(tx, input.actor, membership, 'membership.removed', null);
  });
}

async function inScope<T>(
  deps: ScopedDeps,
  input: Input,
  work: (tx: Transaction, membership: Membership, agencyId: string) => Promise<T>,
): Promise<T> {
  const { agencyId, tenantId } = input.actor.principal;
  const scopeTenantId = input.level === 'tenant' ? tenantId : undefined;
  return deps.runInScope({ agencyId, tenantId: scopeTenantId }, async (tx) => {
    const membership = await findMembershipForUpdate(tx, { agencyId, tenantId: scopeTenantId, membershipId: input.membershipId });
    if (!membership) throw new AppError('NOT_FOUND', 'Membership not found');
    if (!canGrantRole(input.actor.principal, membership.role, membership, 'manage')) {
      throw new AppError('FORBIDDEN', 'You cannot change the membership of someone above your own role');
    }
    return work(tx, membership, agencyId);
  });
}

/** The agency keeps at least one agency owner, and a tenant that has an owner keeps one. */
async function assertNotLastOwner(tx: Transaction, membership: Membership, agencyId: string): Promise<void> {
  if (membership.role !== 'agency_owner' && membership.role !== 'tenant_owner') return;
  if ((await lockOwners(tx, { agencyId, tenantId: membership.tenantId, role: membership.role })) <= 1) {
    throw new AppError(
      'CONFLICT',
      membership.tenantId ? 'The tenant must keep at least one tenant owner' : 'The agency must keep at least one agency owner',
    );
  }
}

async function audit(tx: Transaction, actor: Actor, before: Membership, action: string, after: Record<string, unknown> | null) {
  await recordAuditEvent(tx, {
    agencyId: before.agencyId,
    tenantId: before.tenantId,
    ...auditOrigin(actor),
    action,
    target: { type: 'membership', id: before.id },
    before: { userId: before.userId, tenantId: before.tenantId, role: before.role },
    after: after && { userId: before.userId, tenantId: before.tenantId, ...after },
  });
}
