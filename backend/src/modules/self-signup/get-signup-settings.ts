import type { Transaction } from 'sequelize';
import type { Actor } from '../../http/request-context.js';
import { agencyBillingCredentials } from '../billing-account/agency-billing-credentials.js';
import { planEligibility } from './offered-signup-plans.js';
import type { SignupSettingsView } from './schemas.js';
import { signupPageUrl, type SelfSignupDeps } from './self-signup-deps.js';
import { findSignupSettings } from './signup-settings-repository.js';

export const MAIL_MISSING = 'This server cannot send e-mail (SMTP_URL is not configured). Self sign-up verifies every address by e-mail, so it stays unavailable until mail is configured.';
export const STRIPE_MISSING = 'No Stripe account is connected: new businesses could not pay. Connect your Stripe account first.';
export const NO_PLANS = 'Choose at least one active plan that is synced to Stripe.';

/** The agency owner's Self sign-up settings: the switch, the offered plans, the link to share and what blocks it. */
export async function getSignupSettings(deps: SelfSignupDeps, input: { actor: Actor }): Promise<SignupSettingsView> {
  const { agencyId } = input.actor.principal;
  return deps.runInScope({ agencyId }, (tx) => signupSettingsView(tx, deps, agencyId));
}

export async function signupSettingsView(tx: Transaction, deps: SelfSignupDeps, agencyId: string): Promise<SignupSettingsView> {
  const settings = await findSignupSettings(tx, agencyId);
  const plans = await planEligibility(tx, agencyId);
  const stripeConnected = !!(await agencyBillingCredentials(tx, deps, agencyId));
  const offerable = new Set(plans.filter((entry) => entry.reason === null).map((entry) => entry.plan.id));
  const warnings = [
    ...(deps.mail.canDeliver ? [] : [MAIL_MISSING]),
    ...(stripeConnected ? [] : [STRIPE_MISSING]),
    ...(settings.planIds.some((id) => offerable.has(id)) ? [] : [NO_PLANS]),
  ];
  return {
    enabled: settings.enabled, planIds: settings.planIds,
    plans: plans.filter((entry) => !entry.plan.archivedAt || settings.planIds.includes(entry.plan.id))
      .map(({ plan, reason }) => ({ id: plan.id, name: plan.name, offerable: reason === null, reason })),
    signupUrl: signupPageUrl(deps.portalUrl, agencyId), mailConfigured: deps.mail.canDeliver, stripeConnected, warnings,
  };
}
