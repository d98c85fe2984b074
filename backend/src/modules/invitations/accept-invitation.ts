import type { Transaction } from 'sequelize';
import { sequelizeOf } from '../../db/sql.js';
import { applyScope } from '../../db/tenant-scope.js';
import { AppError } from '../../http/errors.js';
import { findUserByEmail } from '../auth/account-repository.js';
import type { RequestMeta } from '../auth/auth-deps.js';
import { hashOneTimeToken } from '../auth/one-time-token.js';
import { hashPassword } from '../auth/password-hashing.js';
import type { InvitationDeps } from './invitation-deps.js';
import { findInvitationByTokenHash, markInvitationAccepted, type InvitationRecord } from './invitation-repository.js';
import { createMembership, createUser, findMembership } from './membership-repository.js';

export type AcceptInvitationInput = { token: string; name?: string; password?: string; meta: RequestMeta };
export type AcceptedInvitation = { userId: string; membershipId: string; agencyId: string; tenantId: string | null; accountCreated: boolean };

export const INVALID_INVITATION = 'This invitation is invalid, already used, revoked or expired';

export function isPending(invitation: InvitationRecord, now = new Date()): boolean {
  return !invitation.acceptedAt && !invitation.revokedAt && new Date(invitation.expiresAt) > now;
}

function invalidInvitation(): AppError {
  return new AppError('VALIDATION_FAILED', INVALID_INVITATION, [{ path: 'body.token', message: 'invalid, used, revoked or expired', code: 'invalid_token' }]);
}

/**
 * Accepts an invitation once: creates the account (name + password) when the address has none, or
 * adds the membership to the existing account (whose name and password are left alone: the token
 * proves the address, not the right to change someone's password).
 */
export async function acceptInvitation(deps: InvitationDeps, input: AcceptInvitationInput): Promise<AcceptedInvitation> {
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  return deps.runInScope({}, async (t) => {
    const invitation = await findInvitationByTokenHash(t, hashOneTimeToken(input.token));
    if (!invitation || !isPending(invitation)) throw invalidInvitation();
    await applyScope(sequelizeOf(t), t, { agencyId: invitation.agencyId, tenantId: invitation.tenantId ?? undefined });
    const existing = await findUserByEmail(t, invitation.email);
    if (existing && existing.status !== 'active') throw new AppError('FORBIDDEN', 'This account is suspended. Contact your administrator.');
    if (!existing && (!input.name || !passwordHash)) {
      throw new AppError('VALIDATION_FAILED', 'Choose your name and a password to create your account', [
        ...(input.name ? [] : [{ path: 'body.name', message: 'required to create your account' }]),
        ...(passwordHash ? [] : [{ path: 'body.password', message: 'required to create your account' }]),
      ]);
    }
    const userId = existing?.id ?? (await createUser(t, { email: invitation.email, name: input.name!, passwordHash: passwordHash! }));
    if (!(await markInvitationAccepted(t, invitation.id, userId))) throw invalidInvitation();
    const membershipId = await addMembership(deps, t, invitation, userId, input.meta);
    await deps.recordAuditEvent(t, {
      agencyId: invitation.agencyId,
      tenantId: invitation.tenantId,
      actor: { type: 'user', id: userId },
      action: 'invitation.accepted',
      target: { type: 'invitation', id: invitation.id },
      after: { userId, membershipId, role: invitation.role, accountCreated: !existing },
      requestId: input.meta.requestId,
      ip: input.meta.ip,
    });
    return { userId, membershipId, agencyId: invitation.agencyId, tenantId: invitation.tenantId, accountCreated: !existing };
  });
}

/** An existing membership at the same place is kept as it is (role changes are a separate, audited action). */
async function addMembership(deps: InvitationDeps, t: Transaction, invitation: InvitationRecord, userId: string, meta: RequestMeta): Promise<string> {
  const where = { userId, agencyId: invitation.agencyId, tenantId: invitation.tenantId };
  const current = await findMembership(t, where);
  if (current) return current.id;
  const membershipId = await createMembership(t, { ...where, role: invitation.role });
  await deps.recordAuditEvent(t, {
    agencyId: invitation.agencyId,
    tenantId: invitation.tenantId,
    actor: { type: 'user', id: userId },
    action: 'membership.created',
    target: { type: 'membership', id: membershipId },
    after: { userId, role: invitation.role, tenantId: invitation.tenantId, invitationId: invitation.id },
    requestId: meta.requestId,
    ip: meta.ip,
  });
  return membershipId;
}
