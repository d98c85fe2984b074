import { AppError } from '../../http/errors.js';
import { findUserById, listMemberships, setPassword } from './account-repository.js';
import type { AuthDeps, RequestMeta } from './auth-deps.js';
import { hashOneTimeToken } from './one-time-token.js';
import { hashPassword } from './password-hashing.js';
import { consumeResetToken } from './password-reset-repository.js';

/** Sets a new password with a reset token (single use, unexpired) and ends all the user's sessions. */
export async function resetPassword(
  deps: AuthDeps,
  input: { token: string; password: string; meta: RequestMeta },
): Promise<void> {
  const passwordHash = await hashPassword(input.password);
  const user = await deps.runInScope({}, async (t) => {
    const consumed = await consumeResetToken(t, hashOneTimeToken(input.token));
    const found = consumed ? await findUserById(t, consumed.userId) : undefined;
    if (!found) {
      throw new AppError('VALIDATION_FAILED', 'This reset link is invalid, already used or expired', [
        { path: 'body.token', message: 'invalid, used or expired', code: 'invalid_token' },
      ]);
    }
    await setPassword(t, found.id, passwordHash);
    const agencyId = (await listMemberships(t, found.id))[0]?.agencyId;
    if (agencyId) {
      await deps.recordAuditEvent(t, {
        agencyId,
        actor: { type: 'user', id: found.id },
        action: 'auth.password_reset',
        target: { type: 'user', id: found.id },
        requestId: input.meta.requestId,
        ip: input.meta.ip,
      });
    }
    return found;
  });
  await deps.sessions.destroyAllForUser(user.id);
  await deps.throttle.clearAccount(user.email);
}
