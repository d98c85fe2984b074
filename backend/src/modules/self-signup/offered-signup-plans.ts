import type { Transaction } from 'sequelize';
import { listPlans, type PlanRow } from '../plans/plan-repository.js';
import { listPlanVersions, type PlanVersionRow } from '../plans/plan-version-repository.js';
import type { SignupPlanView } from './schemas.js';

export type PlanEligibility = { plan: PlanRow; version: PlanVersionRow | undefined; reason: 'archived' | 'not_synced' | null };

/** Every plan of the agency and whether sign-up can sell it: active, and its current version has a Stripe price. */
export async function planEligibility(tx: Transaction, agencyId: string): Promise<PlanEligibility[]> {
  const plans = await listPlans(tx, agencyId);
  const versions = new Map((await listPlanVersions(tx, plans.map((plan) => plan.id))).map((version) => [version.id, version]));
  return plans.map((plan) => {
    const version = versions.get(plan.currentVersionId);
    const synced = version?.stripeSyncStatus === 'synced' && !!version.stripeMonthlyPriceId;
    return { plan, version, reason: plan.archivedAt ? 'archived' : synced ? null : 'not_synced' };
  });
}

/**
 * The plans the public page offers, in the agency's order: those it chose that can still be sold (a plan
 * archived or out of sync with Stripe since then silently drops out rather than failing at Checkout).
 */
export async function offeredSignupPlans(tx: Transaction, agencyId: string, planIds: string[]): Promise<SignupPlanView[]> {
  const eligible = new Map((await planEligibility(tx, agencyId)).filter((entry) => entry.reason === null).map((entry) => [entry.plan.id, entry]));
  return planIds.flatMap((id) => {
    const entry = eligible.get(id);
    if (!entry?.version) return [];
    const { plan, version } = entry;
    return [{
      id: plan.id, name: plan.name, description: plan.description, currency: plan.currency, monthlyPriceMinor: version.monthlyPriceMinor,
      yearlyPriceMinor: version.stripeYearlyPriceId ? version.yearlyPriceMinor : null, trialDays: version.trialDays, entitlements: version.entitlements,
    }];
  });
}
