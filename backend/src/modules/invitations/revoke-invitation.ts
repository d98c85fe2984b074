import { AppError } from '../../http/errors.js';
import type { RequestMeta } from '../auth/auth-deps.js';
import type { Principal } from '../auth/principal.js';
import { canGrantRole } from '../auth/role-grants.js';
import type { InvitationDeps } from './invitation-deps.js';
import { findInvitationInScope, markInvitationRevoked } from './invitation-repository.js';

/** Whoever could have sent an invitation (same place, a role they may grant) may revoke it while pending. */
export async function revokeInvitation(
  deps: InvitationDeps,
  principal: Extract<Principal, { kind: 'user' }>,
  invitationId: string,
  meta: RequestMeta,
): Promise<void> {
  const scope = { agencyId: principal.agencyId, tenantId: principal.tenantId ?? null };
  await deps.runInScope({ agencyId: scope.agencyId, tenantId: principal.tenantId }, async (t) => {
    const invitation = await findInvitationInScope(t, { ...scope, id: invitationId });
    if (!invitation) throw new AppError('NOT_FOUND', 'No such invitation');
    if (!canGrantRole(principal, invitation.role, { tenantId: invitation.tenantId }, 'invite')) throw new AppError('FORBIDDEN', 'You cannot revoke this invitation');
    if (!(await markInvitationRevoked(t, invitation.id))) throw new AppError('CONFLICT', 'This invitation was already accepted or revoked');
    await deps.recordAuditEvent(t, {
      agencyId: invitation.agencyId,
      tenantId: invitation.tenantId,
      actor: { type: 'user', id: principal.userId, actingAsTenantId: principal.actingAs ? principal.tenantId : null },
      action: 'invitation.revoked',
      target: { type: 'invitation', id: invitation.id },
      before: { email: invitation.email, role: invitation.role },
      requestId: meta.requestId,
      ip: meta.ip,
    });
  });
}
