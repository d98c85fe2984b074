import { findUserById } from '../auth/account-repository.js';
import type { RequestMeta } from '../auth/auth-deps.js';
import { startSession, type SignedIn } from '../auth/start-session.js';
import type { SubscriptionInterval } from '../plans/subscription-repository.js';
import { startCheckout } from '../subscriptions/start-checkout.js';
import type { SelfSignupDeps } from './self-signup-deps.js';

export type CompletedSignup = { tenantId: string; checkoutUrl: string | null; signedIn: SignedIn };

/**
 * After the tenant was created: the new owner is signed in and Stripe Checkout opens for the chosen plan.
 * Checkout returns to /billing, where the webhooks activate the subscription; if Stripe cannot be reached the
 * owner lands on /billing and pays from there (checkoutUrl null).
 */
export async function signInNewOwner(
  deps: SelfSignupDeps,
  input: { created: { tenantId: string; userId: string; planId: string; interval: SubscriptionInterval }; method: 'password' | 'google'; previousSessionId?: string; meta: RequestMeta },
): Promise<CompletedSignup> {
  const { created, meta } = input;
  const user = (await deps.runInScope({}, (tx) => findUserById(tx, created.userId)))!;
  const signedIn = await startSession(deps.auth, user, { method: input.method, previousSessionId: input.previousSessionId, meta });
  const actor = { principal: signedIn.principal, requestId: meta.requestId, ip: meta.ip };
  const checkoutUrl = await startCheckout(deps, { actor, planId: created.planId, interval: created.interval }).then(
    ({ url }) => url,
    (err: unknown) => {
      deps.logger?.warn({ err, tenantId: created.tenantId }, 'self sign-up: Checkout could not start; the owner pays from the Billing page');
      return null;
    },
  );
  return { tenantId: created.tenantId, checkoutUrl, signedIn };
}
