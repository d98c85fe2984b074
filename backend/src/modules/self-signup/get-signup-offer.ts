import type { SignupOfferView } from './schemas.js';
import type { SelfSignupDeps } from './self-signup-deps.js';
import { loadOpenSignup, signupAgencyId } from './signup-agency.js';

/** The public /signup page: the plans on offer (price, trial, what is included) and whether sign-up works right now. */
export async function getSignupOffer(deps: SelfSignupDeps, input: { agencyId?: string }): Promise<SignupOfferView> {
  const agencyId = await signupAgencyId(deps, input.agencyId);
  const open = await deps.runInScope({ agencyId }, (tx) => loadOpenSignup(tx, deps, agencyId));
  return { agency: { id: agencyId }, plans: open.plans, available: open.ready, message: open.reason, google: deps.identity?.googleEnabled ?? false };
}
