import { findInstallationAgencyId, listMemberships, type UserRecord } from './account-repository.js';
import type { AuthDeps, RequestMeta } from './auth-deps.js';

export type LoginFailureReason =
  | 'bad_credentials'
  | 'account_suspended'
  | 'google_email_unverified'
  | 'google_account_not_linked'
  | 'google_account_mismatch';

/**
 * Audits a refused sign-in. Known users' failures go to their agency's chain; attempts on unknown
 * addresses to the installation's agency, without the address typed (it may be anyone's personal data).
 */
export async function recordLoginFailure(
  deps: Pick<AuthDeps, 'runInScope' | 'recordAuditEvent'>,
  user: Pick<UserRecord, 'id'> | undefined,
  reason: LoginFailureReason,
  meta: RequestMeta,
): Promise<void> {
  await deps.runInScope({}, async (t) => {
    const memberships = user ? await listMemberships(t, user.id) : [];
    const agencyId = memberships[0]?.agencyId ?? (await findInstallationAgencyId(t));
    if (!agencyId) return; // nothing installed yet: no audit trail to write to
    await deps.recordAuditEvent(t, {
      agencyId,
      actor: { type: 'anonymous' },
      action: 'auth.login.failed',
      target: user ? { type: 'user', id: user.id } : undefined,
      after: { reason },
      requestId: meta.requestId,
      ip: meta.ip,
    });
  });
}
