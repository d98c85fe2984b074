import { findUserByEmail } from './account-repository.js';
import type { AuthDeps, RequestMeta } from './auth-deps.js';
import { newOneTimeToken } from './one-time-token.js';
import { replaceResetToken } from './password-reset-repository.js';

export const RESET_TOKEN_TTL_MS = 60 * 60 * 1000;

/**
 * Mails a single-use, one-hour reset link to an active user. The caller always answers 202, whether
 * the address exists or not, and whether the account's mail budget is used up (3 an hour); the mail
 * goes out in the background so timing does not tell either. Too many requests from one client
 * address are a 429. Without SMTP nothing is sent and the link is never returned (that would hand
 * over the account).
 */
export async function requestPasswordReset(deps: AuthDeps, email: string, meta: RequestMeta): Promise<void> {
  await deps.resetRequests.countAddress(meta.ip);
  const withinBudget = await deps.resetRequests.countAccount(email);
  const user = await deps.runInScope({}, (t) => findUserByEmail(t, email));
  if (!user || user.status !== 'active') return;
  if (!withinBudget) {
    deps.logger.warn({ userId: user.id, requestId: meta.requestId }, 'password reset requested too often for this account: no e-mail sent');
    return;
  }
  if (!deps.mail.canDeliver) {
    deps.logger.warn(
      { userId: user.id },
      'password reset requested but SMTP_URL is not configured: no e-mail sent. Configure SMTP, or have an admin reset access.',
    );
    return;
  }
  const { token, hash } = newOneTimeToken();
  await deps.runInScope({}, (t) => replaceResetToken(t, user.id, hash, new Date(Date.now() + RESET_TOKEN_TTL_MS)));
  const link = `${deps.portalUrl}/reset-password?token=${encodeURIComponent(token)}`;
  deps.mail
    .send({
      to: user.email,
      subject: 'Reset your Switchboard password',
      text: `Hello ${user.name},\n\nUse this link within one hour to choose a new password:\n${link}\n\nIf you did not ask for this, ignore this e-mail.`,
    })
    .catch((err: unknown) => deps.logger.error({ err, userId: user.id }, 'password reset e-mail failed'));
}
