import { AppError } from '../../http/errors.js';
import type { RequestMeta } from '../auth/auth-deps.js';
import { findTenantOfAgency } from '../auth/account-repository.js';
import { newOneTimeToken } from '../auth/one-time-token.js';
import type { Role } from '../auth/permissions.js';
import type { Principal } from '../auth/principal.js';
import { canGrantRole, isAgencyRole } from '../auth/role-grants.js';
import { assertEntitled } from '../entitlements/check-entitlement.js';
import { acceptUrl, DEFAULT_INVITATION_TTL_DAYS, toInvitationView, type InvitationDeps, type InvitationView } from './invitation-deps.js';
import { insertInvitation, revokePendingInvitationsFor } from './invitation-repository.js';
import { isMemberByEmail } from './membership-repository.js';

type UserPrincipal = Extract<Principal, { kind: 'user' }>;
export type CreateInvitationInput = { email: string; role: Role; tenantId?: string; expiresInDays?: number };
export type CreatedInvitation = {
  invitation: InvitationView;
  delivery: 'email' | 'link';
  /** Only when no e-mail went out: the inviting admin shares it (shown once, audited as invitation.link_shown). */
  acceptUrl?: string;
  /** false: this server has no mail server configured (delivery is then always 'link'). */
  mailConfigured?: boolean;
};

/** Where the invitation leads: the agency itself, or a tenant taken from the principal (agency staff may name one). */
function targetTenant(principal: UserPrincipal, input: CreateInvitationInput): string | null {
  if (isAgencyRole(input.role)) {
    if (input.tenantId) throw new AppError('VALIDATION_FAILED', 'Agency roles are not granted in a tenant', [{ path: 'body.tenantId', message: 'must be absent for agency roles' }]);
    return null;
  }
  if (principal.tenantId) {
    if (input.tenantId && input.tenantId !== principal.tenantId) throw new AppError('FORBIDDEN', 'You can only invite people to the tenant you act in');
    return principal.tenantId;
  }
  if (!input.tenantId) throw new AppError('VALIDATION_FAILED', 'Say which tenant to invite to', [{ path: 'body.tenantId', message: 'required for tenant roles at agency level' }]);
  return input.tenantId;
}

export async function createInvitation(
  deps: InvitationDeps,
  principal: UserPrincipal,
  input: CreateInvitationInput,
  meta: RequestMeta,
): Promise<CreatedInvitation> {
  const tenantId = targetTenant(principal, input);
  if (!canGrantRole(principal, input.role, { tenantId }, 'invite')) {
    throw new AppError('FORBIDDEN', `You cannot invite someone as ${input.role}`, { role: input.role });
  }
  const { token, hash } = newOneTimeToken();
  const expiresAt = new Date(Date.now() + (input.expiresInDays ?? DEFAULT_INVITATION_TTL_DAYS) * 86_400_000);
  const agencyId = principal.agencyId;
  const created = await deps.runInScope({ agencyId, tenantId: tenantId ?? undefined }, async (t) => {
    if (tenantId && !principal.tenantId && !(await findTenantOfAgency(t, agencyId, tenantId))) {
      throw new AppError('NOT_FOUND', 'No such tenant in your agency');
    }
    if (await isMemberByEmail(t, { email: input.email, agencyId, tenantId })) {
      throw new AppError('CONFLICT', 'This person is already a member here');
    }
    await revokePendingInvitationsFor(t, { agencyId, tenantId, email: input.email });
    // A re-invite replaced its earlier invitation just above, so it does not count twice against the seats.
    if (tenantId) await assertEntitled(t, { agencyId, tenantId }, { kind: 'seat.add' });
    const row = await insertInvitation(t, { agencyId, tenantId, email: input.email, role: input.role, tokenHash: hash, invitedByUserId: principal.userId, expiresAt });
    await deps.recordAuditEvent(t, {
      agencyId,
      tenantId,
      actor: { type: 'user', id: principal.userId, actingAsTenantId: principal.actingAs ? principal.tenantId : null },
      action: 'invitation.created',
      target: { type: 'invitation', id: row.id },
      after: { email: row.email, role: row.role, tenantId, expiresAt: expiresAt.toISOString() },
      requestId: meta.requestId,
      ip: meta.ip,
    });
    return row;
  });
  const invitation = toInvitationView(created);
  const link = acceptUrl(deps.portalUrl, token);
  if (!deps.mail.canDeliver) return showLinkOnce(deps, principal, { invitation, link, reason: 'mail_not_configured', meta });
  try {
    await deps.mail.send({
      to: created.email,
      subject: "You're invited to Switchboard",
      text: `You have been invited to Switchboard as ${created.role}.\n\nAccept within ${input.expiresInDays ?? DEFAULT_INVITATION_TTL_DAYS} days:\n${link}\n`,
    });
    return { invitation, delivery: 'email', mailConfigured: true };
  } catch (err) {
    deps.logger.error({ err, invitationId: created.id }, 'invitation e-mail failed: returning the link to the inviter');
    return showLinkOnce(deps, principal, { invitation, link, reason: 'mail_failed', meta });
  }
}

/**
 * No e-mail went out: the link goes to the inviting admin, in this one answer only (it is never stored
 * and cannot be fetched again), and the audit trail records who received it.
 */
async function showLinkOnce(
  deps: InvitationDeps,
  principal: UserPrincipal,
  input: { invitation: InvitationView; link: string; reason: 'mail_not_configured' | 'mail_failed'; meta: RequestMeta },
): Promise<CreatedInvitation> {
  const { invitation } = input;
  await deps.runInScope({ agencyId: principal.agencyId, tenantId: invitation.tenantId ?? undefined }, (t) =>
    deps.recordAuditEvent(t, {
      agencyId: principal.agencyId,
      tenantId: invitation.tenantId,
      actor: { type: 'user', id: principal.userId, actingAsTenantId: principal.actingAs ? principal.tenantId : null },
      action: 'invitation.link_shown',
      target: { type: 'invitation', id: invitation.id },
      after: { email: invitation.email, shownTo: principal.userId, reason: input.reason },
      requestId: input.meta.requestId,
      ip: input.meta.ip,
    }),
  );
  return { invitation, delivery: 'link', acceptUrl: input.link, mailConfigured: input.reason !== 'mail_not_configured' };
}
