import type { Transaction } from 'sequelize';
import { AppError } from '../../http/errors.js';
import { findInstallationAgencyId } from '../auth/account-repository.js';
import { agencyBillingCredentials } from '../billing-account/agency-billing-credentials.js';
import { offeredSignupPlans } from './offered-signup-plans.js';
import type { SignupPlanView } from './schemas.js';
import type { SelfSignupDeps } from './self-signup-deps.js';
import { findSignupSettings } from './signup-settings-repository.js';

export const SIGNUP_NOT_AVAILABLE = 'Self sign-up is not available here. Ask the provider who sent you the link.';

/** The agency named by the shared link, else the installation's agency (an appliance has one). */
export async function signupAgencyId(deps: SelfSignupDeps, named: string | undefined): Promise<string> {
  const agencyId = named ?? (await deps.runInScope({}, (tx) => findInstallationAgencyId(tx)));
  if (!agencyId) throw new AppError('NOT_FOUND', SIGNUP_NOT_AVAILABLE);
  return agencyId;
}

export type OpenSignup = { plans: SignupPlanView[]; ready: boolean; reason: string | null };

/**
 * What a visitor may sign up for at this agency, read at the agency's scope: a 404 unless the agency turned
 * sign-up on (an unknown agency looks the same). `ready` is false when a sign-up could not finish: no mail for
 * the verification link, no Stripe account to pay in, or no plan left to sell.
 */
export async function loadOpenSignup(tx: Transaction, deps: SelfSignupDeps, agencyId: string): Promise<OpenSignup> {
  const settings = await findSignupSettings(tx, agencyId);
  if (!settings.enabled) throw new AppError('NOT_FOUND', SIGNUP_NOT_AVAILABLE, { reason: 'signup_disabled' });
  const plans = await offeredSignupPlans(tx, agencyId, settings.planIds);
  if (!deps.mail.canDeliver) return { plans, ready: false, reason: 'Sign-up is unavailable right now: this server cannot send the e-mail that confirms your address. Please contact your provider.' };
  if (!(await agencyBillingCredentials(tx, deps, agencyId)) || plans.length === 0) {
    return { plans, ready: false, reason: 'Sign-up is unavailable right now: no plan can be bought online at the moment. Please contact your provider.' };
  }
  return { plans, ready: true, reason: null };
}
