import { AppError } from '../../http/errors.js';
import { findUserByEmail } from '../auth/account-repository.js';
import { hashOneTimeToken } from '../auth/one-time-token.js';
import { isPending, INVALID_INVITATION } from './accept-invitation.js';
import type { InvitationDeps } from './invitation-deps.js';
import { findInvitationByTokenHash } from './invitation-repository.js';

export type InvitationPreview = {
  email: string;
  role: string;
  tenantId: string | null;
  expiresAt: string;
  /** Lets the accept page ask for name + password only when an account must be created. */
  accountExists: boolean;
};

/** What the holder of an invitation token may see before accepting it. */
export async function inspectInvitation(deps: Pick<InvitationDeps, 'runInScope'>, token: string): Promise<InvitationPreview> {
  return deps.runInScope({}, async (t) => {
    const invitation = await findInvitationByTokenHash(t, hashOneTimeToken(token));
    if (!invitation || !isPending(invitation)) {
      throw new AppError('VALIDATION_FAILED', INVALID_INVITATION, [{ path: 'body.token', message: 'invalid, used, revoked or expired', code: 'invalid_token' }]);
    }
    const user = await findUserByEmail(t, invitation.email);
    return {
      email: invitation.email,
      role: invitation.role,
      tenantId: invitation.tenantId,
      expiresAt: new Date(invitation.expiresAt).toISOString(),
      accountExists: user !== undefined,
    };
  });
}
