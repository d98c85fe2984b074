import { AppError } from '../../http/errors.js';
import { findUserByEmail } from './account-repository.js';
import type { AuthDeps, RequestMeta } from './auth-deps.js';
import { verifyPassword } from './password-hashing.js';
import { recordLoginFailure } from './record-login-failure.js';
import { startSession, type SignedIn } from './start-session.js';

// The same words for an unknown address and a wrong password: the response must not tell them apart.
export const INVALID_CREDENTIALS_MESSAGE = 'The email or password is incorrect';

export async function logInWithPassword(
  deps: AuthDeps,
  input: { email: string; password: string; previousSessionId?: string; meta: RequestMeta },
): Promise<SignedIn> {
  await deps.throttle.claimAttempt(input.email, input.meta.ip);
  const user = await deps.runInScope({}, (t) => findUserByEmail(t, input.email));
  const valid = await verifyPassword(user?.passwordHash, input.password);
  if (!user || !valid) {
    await recordLoginFailure(deps, user, 'bad_credentials', input.meta);
    throw new AppError('UNAUTHENTICATED', INVALID_CREDENTIALS_MESSAGE);
  }
  const signedIn = await startSession(deps, user, { ...input, method: 'password' });
  await deps.throttle.succeeded(input.email, input.meta.ip);
  return signedIn;
}
