import { findIdentity, findIdentityOfUser, findUserByEmail, findUserById, linkIdentity, type UserRecord } from './account-repository.js';
import type { AuthDeps } from './auth-deps.js';
import type { LoginFailureReason } from './record-login-failure.js';

export type GoogleProfile = { subject: string; email?: string; emailVerified: boolean };

export type GoogleSignIn = { user: UserRecord } | { refused: LoginFailureReason; user?: UserRecord };

/**
 * Finds the existing user a Google account signs in as. A Google subject already linked wins; otherwise
 * the account is linked to the user with the same e-mail, only when Google says that address is
 * verified. Never creates a user or a tenant: unknown addresses are refused.
 */
export async function linkGoogleIdentity(deps: Pick<AuthDeps, 'runInScope'>, profile: GoogleProfile): Promise<GoogleSignIn> {
  return deps.runInScope({}, async (t) => {
    const linked = await findIdentity(t, 'google', profile.subject);
    const linkedUser = linked ? await findUserById(t, linked.userId) : undefined;
    if (linkedUser) return { user: linkedUser };
    if (!profile.email || !profile.emailVerified) return { refused: 'google_email_unverified' };
    const user = await findUserByEmail(t, profile.email);
    if (!user) return { refused: 'google_account_not_linked' };
    const existing = await findIdentityOfUser(t, user.id, 'google');
    if (existing) return { refused: 'google_account_mismatch', user };
    await linkIdentity(t, { userId: user.id, provider: 'google', subject: profile.subject, email: profile.email });
    return { user };
  });
}
