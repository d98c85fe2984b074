import { isUniqueViolation } from '../../db/sql.js';
import { AppError } from '../../http/errors.js';
import { findUserByEmail } from '../auth/account-repository.js';
import type { RequestMeta } from '../auth/auth-deps.js';
import { hashOneTimeToken } from '../auth/one-time-token.js';
import { createSignedUpTenant } from './create-signed-up-tenant.js';
import type { SelfSignupDeps } from './self-signup-deps.js';
import { signInNewOwner, type CompletedSignup } from './sign-in-new-owner.js';
import { loadOpenSignup } from './signup-agency.js';
import { findSignupRequestByToken } from './signup-request-repository.js';

export const INVALID_SIGNUP_LINK = 'This sign-up link is invalid, already used or expired. Sign up again to get a new one.';

export type { CompletedSignup } from './sign-in-new-owner.js';

/**
 * The visitor opened the mailed link: the address is theirs. Tenant, owner and membership are created in one
 * transaction (the request row is locked, so a double click creates one), the owner is signed in, and Stripe
 * Checkout opens for the chosen plan (signInNewOwner).
 */
export async function completeSignup(deps: SelfSignupDeps, input: { agencyId: string; token: string; previousSessionId?: string; meta: RequestMeta }): Promise<CompletedSignup> {
  const { agencyId, meta } = input;
  const created = await deps.runInScope({ agencyId }, async (tx) => {
    const request = await findSignupRequestByToken(tx, { agencyId, tokenHash: hashOneTimeToken(input.token) });
    if (!request || request.completedAt || new Date(request.expiresAt) <= new Date()) {
      throw new AppError('VALIDATION_FAILED', INVALID_SIGNUP_LINK, [{ path: 'body.token', message: 'invalid, used or expired', code: 'invalid_token' }]);
    }
    await loadOpenSignup(tx, deps, agencyId); // 404 when the agency turned sign-up off since
    if (await findUserByEmail(tx, request.email)) throw alreadyRegistered();
    return { ...(await createSignedUpTenant(tx, deps.events, { request, meta })), planId: request.planId, interval: request.interval };
  }).catch((err: unknown) => {
    throw isUniqueViolation(err) ? alreadyRegistered() : err;
  });
  return signInNewOwner(deps, { created, method: 'password', previousSessionId: input.previousSessionId, meta });
}

// The token proved the mailbox, so saying the address has an account tells its owner nothing new.
const alreadyRegistered = () => new AppError('CONFLICT', 'An account with this e-mail address already exists. Sign in instead.', { reason: 'account_exists' });
