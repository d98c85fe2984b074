import type { Transaction } from 'sequelize';
import { AppError } from '../../http/errors.js';
import { findPlan, type PlanRow } from '../plans/plan-repository.js';
import { findPlanVersion, type PlanVersionRow } from '../plans/plan-version-repository.js';
import type { SubscriptionInterval } from '../plans/subscription-repository.js';

/** The Stripe price a tenant buys for a plan of its agency: the plan's current version at the chosen interval. */
export async function offeredPrice(
  tx: Transaction,
  where: { agencyId: string; planId: string; interval: SubscriptionInterval },
): Promise<{ plan: PlanRow; version: PlanVersionRow; priceId: string }> {
  const plan = await findPlan(tx, { agencyId: where.agencyId, planId: where.planId });
  if (!plan) throw new AppError('NOT_FOUND', 'Plan not found');
  if (plan.archivedAt) throw new AppError('CONFLICT', 'This plan is no longer offered', { reason: 'plan_archived' });
  const version = (await findPlanVersion(tx, { agencyId: where.agencyId, versionId: plan.currentVersionId }))!;
  if (where.interval === 'year' && version.yearlyPriceMinor === null) {
    const message = 'This plan has no yearly price';
    throw new AppError('VALIDATION_FAILED', message, [{ path: 'body.interval', message }]);
  }
  const priceId = where.interval === 'year' ? version.stripeYearlyPriceId : version.stripeMonthlyPriceId;
  if (!priceId) throw new AppError('CONFLICT', 'This plan is not ready for online payment yet; ask your provider', { reason: 'plan_not_synced' });
  return { plan, version, priceId };
}
