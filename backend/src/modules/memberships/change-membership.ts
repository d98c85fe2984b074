import type { Transaction } from 'sequelize';
import type { ScopedDeps } from '../../db/scoped-deps.js';
import { AppError } from '../../http/errors.js';
import type { Actor } from '../../http/request-context.js';
import { auditOrigin } from '../audit/audit-actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { Role } from '../auth/permissions.js';
import {
  deleteMembership,
  findMembershipForUpdate,
  lockAgencyOwners,
  updateMembershipRole,
  type Membership,
} from './membership-repository.js';
import { canManageRole, roleFitsMembership } from './role-rank.js';

/** 'agency': any membership of the caller's agency; 'tenant': only memberships of the caller's tenant. */
export type MembershipLevel = 'agency' | 'tenant';
type Input = { actor: Actor; level: MembershipLevel; membershipId: string };

export async function changeMembershipRole(deps: ScopedDeps, input: Input & { role: Role }): Promise<Membership> {
  return inScope(deps, input, async (tx, membership, agencyId) => {
    if (!roleFitsMembership(input.role, membership.tenantId)) {
      throw new AppError('VALIDATION_FAILED', 'The request is not valid', [
        { path: 'body.role', message: membership.tenantId ? 'must be a tenant role' : 'must be an agency role' },
      ]);
    }
    if (!canManageRole(input.actor.principal, input.role)) throw new AppError('FORBIDDEN', 'You cannot grant a role above your own');
    if (membership.role === input.role) return membership;
    await assertNotLastAgencyOwner(tx, membership, agencyId);
    const after = await updateMembershipRole(tx, { agencyId, membershipId: membership.id, role: input.role });
    await audit(tx, input.actor, membership, 'membership.role_changed', { role: after.role });
    return after;
  });
}

export async function removeMembership(deps: ScopedDeps, input: Input): Promise<void> {
  await inScope(deps, input, async (tx, membership, agencyId) => {
    await assertNotLastAgencyOwner(tx, membership, agencyId);
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
    if (!canManageRole(input.actor.principal, membership.role)) {
      throw new AppError('FORBIDDEN', 'You cannot change the membership of someone above your own role');
    }
    return work(tx, membership, agencyId);
  });
}

async function assertNotLastAgencyOwner(tx: Transaction, membership: Membership, agencyId: string): Promise<void> {
  if (membership.role !== 'agency_owner') return;
  if ((await lockAgencyOwners(tx, agencyId)) <= 1) {
    throw new AppError('CONFLICT', 'The agency must keep at least one agency owner');
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
