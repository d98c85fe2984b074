import type { RequestMeta } from '../auth/auth-deps.js';
import { chosenOfferedPlan } from './chosen-plan.js';
import type { GoogleSignupIntent, GoogleSignupQuery } from './schemas.js';
import type { SelfSignupDeps } from './self-signup-deps.js';
import { loadOpenSignup, signupAgencyId } from './signup-agency.js';

/**
 * "Continue with Google" on /signup: the same checks as a password request (sign-up on and ready, the plan
 * offered at that interval) and the same per-address limit, before the visitor goes to Google. Nothing is
 * stored here but the intent, which the route keeps in the server-side OAuth state; the e-mail limit is
 * counted when Google has said which address it is.
 */
export async function startGoogleSignup(deps: SelfSignupDeps, input: { query: GoogleSignupQuery; meta: RequestMeta }): Promise<GoogleSignupIntent> {
  const { query } = input;
  const agencyId = await signupAgencyId(deps, query.agencyId);
  const open = await deps.runInScope({ agencyId }, (tx) => loadOpenSignup(tx, deps, agencyId));
  await deps.limits.countAddress(input.meta.ip);
  chosenOfferedPlan(open, query);
  return { ...query, agencyId };
}
