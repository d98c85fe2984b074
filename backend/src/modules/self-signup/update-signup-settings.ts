import { AppError } from '../../http/errors.js';
import type { Actor } from '../../http/request-context.js';
import { auditOrigin } from '../audit/audit-actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { agencyBillingCredentials } from '../billing-account/agency-billing-credentials.js';
import { MAIL_MISSING, NO_PLANS, signupSettingsView, STRIPE_MISSING } from './get-signup-settings.js';
import { planEligibility } from './offered-signup-plans.js';
import type { SignupSettingsBody, SignupSettingsView } from './schemas.js';
import type { SelfSignupDeps } from './self-signup-deps.js';
import { findSignupSettings, saveSignupSettings } from './signup-settings-repository.js';

const REASONS = { archived: 'is archived', not_synced: 'is not synced to Stripe yet (Retry sync on the Plans page)' } as const;

/**
 * The agency owner turns self sign-up on or off and chooses the offered plans (each active and mirrored to
 * Stripe). Turning it on needs what a sign-up needs: mail for the verification link and a Stripe account to
 * pay in. Off is always allowed. Audited with before and after.
 */
export async function updateSignupSettings(deps: SelfSignupDeps, input: { actor: Actor; body: SignupSettingsBody }): Promise<SignupSettingsView> {
  const { agencyId } = input.actor.principal;
  const { body } = input;
  return deps.runInScope({ agencyId }, async (tx) => {
    const eligibility = new Map((await planEligibility(tx, agencyId)).map((entry) => [entry.plan.id, entry]));
    const issues = body.planIds.flatMap((id, index) => {
      const entry = eligibility.get(id);
      if (!entry) return [{ path: `body.planIds.${index}`, message: 'No such plan in your agency' }];
      return entry.reason ? [{ path: `body.planIds.${index}`, message: `${entry.plan.name} ${REASONS[entry.reason]}` }] : [];
    });
    if (issues.length > 0) throw new AppError('VALIDATION_FAILED', 'Only active plans synced to Stripe can be offered', issues);
    if (body.enabled) {
      const blockers = [
        ...(deps.mail.canDeliver ? [] : [MAIL_MISSING]),
        ...((await agencyBillingCredentials(tx, deps, agencyId)) ? [] : [STRIPE_MISSING]),
        ...(body.planIds.length > 0 ? [] : [NO_PLANS]),
      ];
      if (blockers.length > 0) throw new AppError('CONFLICT', `Self sign-up cannot be turned on yet. ${blockers.join(' ')}`, { reason: 'signup_not_ready', blockers });
    }
    const before = await findSignupSettings(tx, agencyId);
    await saveSignupSettings(tx, agencyId, body);
    await recordAuditEvent(tx, {
      agencyId, ...auditOrigin(input.actor), action: 'self_signup.settings_updated', target: { type: 'self_signup', id: agencyId },
      before: { enabled: before.enabled, planIds: before.planIds }, after: { enabled: body.enabled, planIds: body.planIds },
    });
    return signupSettingsView(tx, deps, agencyId);
  });
}
