import type { AuthDeps } from '../auth/auth-deps.js';
import type { CookiePolicy } from '../auth/cookies.js';
import type { AuthHttp } from '../auth/routes.js';
import type { SubscriptionDeps } from '../subscriptions/subscription-deps.js';
import type { SignupRequestLimit } from './signup-request-limit.js';

/** Self sign-up: the agency's Stripe account and Checkout (subscriptions), mail, sessions (to sign the new owner in), limits. */
export type SelfSignupDeps = SubscriptionDeps & {
  auth: AuthDeps;
  cookies: CookiePolicy;
  limits: SignupRequestLimit;
  /** Google sign-in (passport, whether configured, the secret that signs its hand-off); absent: no "Continue with Google". */
  identity?: Pick<AuthHttp, 'passport' | 'googleEnabled' | 'secret' | 'cookies'>;
};

/** How long the verification link works. */
export const SIGNUP_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;

export function signupPageUrl(portalUrl: string, agencyId: string): string {
  return `${portalUrl}/signup?agency=${agencyId}`;
}

export function verifyUrl(portalUrl: string, agencyId: string, token: string): string {
  return `${portalUrl}/signup/verify?agency=${agencyId}&token=${encodeURIComponent(token)}`;
}
