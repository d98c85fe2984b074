import { findUserByEmail } from '../auth/account-repository.js';
import type { RequestMeta } from '../auth/auth-deps.js';
import { newOneTimeToken } from '../auth/one-time-token.js';
import { hashPassword } from '../auth/password-hashing.js';
import { chosenOfferedPlan } from './chosen-plan.js';
import type { SignupRequestBody, SignupRequested } from './schemas.js';
import { SIGNUP_TOKEN_TTL_MS, verifyUrl, type SelfSignupDeps } from './self-signup-deps.js';
import { loadOpenSignup, signupAgencyId } from './signup-agency.js';
import { alreadyRegisteredMail, verificationMail } from './signup-mail.js';
import { insertSignupRequest } from './signup-request-repository.js';

export const SIGNUP_REQUESTED = 'Check your inbox: we sent you a link to confirm your e-mail address. It works for 24 hours.';

/**
 * A visitor asks to sign up. Nothing but the request is created: its token's hash and the password's argon2
 * hash are stored, and the link goes to the address. The answer is the same whether the address already has
 * an account (that address gets a "you already have an account" mail instead) and the mail goes out in the
 * background, so neither the answer nor its timing tells who has an account. Limited per client address and
 * per e-mail address (429).
 */
export async function requestSignup(deps: SelfSignupDeps, input: { body: SignupRequestBody; meta: RequestMeta }): Promise<SignupRequested> {
  const { body } = input;
  const agencyId = await signupAgencyId(deps, body.agencyId);
  const open = await deps.runInScope({ agencyId }, (tx) => loadOpenSignup(tx, deps, agencyId));
  await deps.limits.countAddress(input.meta.ip);
  await deps.limits.countEmail(body.email);
  // As a password reset: without SMTP nothing can be verified, so nothing is stored and the answer says why.
  if (!deps.mail.canDeliver) return { status: 'accepted', mailConfigured: false, message: open.reason! };
  const plan = chosenOfferedPlan(open, body);
  // Hashed before the lookup, for known and new addresses alike: the work (and the time) is the same.
  const passwordHash = await hashPassword(body.password);
  const existing = await deps.runInScope({}, (tx) => findUserByEmail(tx, body.email));
  if (existing) {
    send(deps, alreadyRegisteredMail({ to: existing.email, signInUrl: `${deps.portalUrl}/sign-in`, resetUrl: `${deps.portalUrl}/forgot-password` }));
    return { status: 'accepted', mailConfigured: true, message: SIGNUP_REQUESTED };
  }
  const { token, hash } = newOneTimeToken();
  await deps.runInScope({ agencyId }, (tx) => insertSignupRequest(tx, {
    agencyId, email: body.email, name: body.name, businessName: body.businessName, timeZone: body.timeZone, passwordHash,
    planId: plan.id, interval: body.interval, tokenHash: hash, expiresAt: new Date(Date.now() + SIGNUP_TOKEN_TTL_MS), ip: input.meta.ip,
  }));
  send(deps, verificationMail({ to: body.email, name: body.name, businessName: body.businessName, link: verifyUrl(deps.portalUrl, agencyId, token) }));
  return { status: 'accepted', mailConfigured: true, message: SIGNUP_REQUESTED };
}

function send(deps: SelfSignupDeps, message: Parameters<SelfSignupDeps['mail']['send']>[0]): void {
  deps.mail.send(message).catch((err: unknown) => deps.logger?.error({ err }, 'self sign-up e-mail failed'));
}
