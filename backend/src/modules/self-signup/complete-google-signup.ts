import { isUniqueViolation } from '../../db/sql.js';
import { AppError } from '../../http/errors.js';
import { findUserByEmail } from '../auth/account-repository.js';
import type { RequestMeta } from '../auth/auth-deps.js';
import { linkGoogleIdentity, type GoogleProfile } from '../auth/link-google-identity.js';
import { newOneTimeToken } from '../auth/one-time-token.js';
import { recordLoginFailure, type LoginFailureReason } from '../auth/record-login-failure.js';
import { startSession, type SignedIn } from '../auth/start-session.js';
import { chosenOfferedPlan } from './chosen-plan.js';
import { createSignedUpTenant } from './create-signed-up-tenant.js';
import type { GoogleSignupIntent } from './schemas.js';
import type { SelfSignupDeps } from './self-signup-deps.js';
import { signInNewOwner, type CompletedSignup } from './sign-in-new-owner.js';
import { loadOpenSignup } from './signup-agency.js';
import { findSignupRequestByToken, insertSignupRequest } from './signup-request-repository.js';

export type GoogleSignupOutcome =
  | ({ outcome: 'created' } & CompletedSignup)
  | { outcome: 'account_exists'; signedIn: SignedIn }
  | { outcome: 'refused'; reason: LoginFailureReason };

/**
 * Google came back for a sign-up started on /signup. Google verified the address, so no e-mail link is needed.
 * Someone Google already signs in as (the Google account linked, or a user with that verified address) gets
 * nothing new: they are signed in, as Google sign-in would, and told they have an account. Otherwise the
 * business is created exactly as a confirmed password sign-up (a used request row records it; the owner has no
 * password and the Google account linked), then signed in and sent to Checkout. Sign-up must still be on and
 * the plan still offered; otherwise nothing is created.
 */
export async function completeGoogleSignup(
  deps: SelfSignupDeps,
  input: { profile: GoogleProfile; intent: GoogleSignupIntent; previousSessionId?: string; meta: RequestMeta },
): Promise<GoogleSignupOutcome> {
  const { profile, intent, meta } = input;
  const link = await linkGoogleIdentity(deps.auth, profile);
  if (!('refused' in link)) {
    return { outcome: 'account_exists', signedIn: await startSession(deps.auth, link.user, { method: 'google', previousSessionId: input.previousSessionId, meta }) };
  }
  if (link.refused !== 'google_account_not_linked') {
    await recordLoginFailure(deps.auth, link.user, link.refused, meta);
    return { outcome: 'refused', reason: link.refused };
  }
  const email = profile.email!.trim().toLowerCase(); // verified: linkGoogleIdentity refused a missing or unverified one
  await deps.limits.countEmail(email);
  const { agencyId } = intent;
  const created = await deps.runInScope({ agencyId }, async (tx) => {
    chosenOfferedPlan(await loadOpenSignup(tx, deps, agencyId), intent); // 404 when turned off since; 400 when no longer offered
    if (await findUserByEmail(tx, email)) throw alreadyRegistered();
    const { hash } = newOneTimeToken(); // never mailed: the request row is only the record of this sign-up
    await insertSignupRequest(tx, {
      agencyId, email, name: intent.name, businessName: intent.businessName, timeZone: intent.timeZone, passwordHash: '',
      planId: intent.planId, interval: intent.interval, tokenHash: hash, expiresAt: new Date(), ip: meta.ip,
    });
    const request = (await findSignupRequestByToken(tx, { agencyId, tokenHash: hash }))!;
    const owner = await createSignedUpTenant(tx, deps.events, { request, meta, google: { subject: profile.subject } });
    return { ...owner, planId: intent.planId, interval: intent.interval };
  }).catch((err: unknown) => {
    throw isUniqueViolation(err) ? alreadyRegistered() : err;
  });
  return { outcome: 'created', ...(await signInNewOwner(deps, { created, method: 'google', previousSessionId: input.previousSessionId, meta })) };
}

// Only after Google proved the address (a second sign-up racing this one), so it tells its owner nothing new.
const alreadyRegistered = () => new AppError('CONFLICT', 'An account with this e-mail address already exists. Sign in instead.', { reason: 'account_exists' });
