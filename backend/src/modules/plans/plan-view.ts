import type { Transaction } from 'sequelize';
import type { PlanRow } from './plan-repository.js';
import { listPlanVersions, type PlanVersionRow, type StripeSyncStatus } from './plan-version-repository.js';
import type { PlanVersionView, PlanView } from './schemas.js';
import { countSubscribersByVersion } from './subscription-repository.js';

const WORST_FIRST: StripeSyncStatus[] = ['failed', 'pending', 'not_connected', 'synced'];

function versionView(row: PlanVersionRow, subscribers: Map<string, number>): PlanVersionView {
  return {
    id: row.id, version: row.version, monthlyPriceMinor: row.monthlyPriceMinor, yearlyPriceMinor: row.yearlyPriceMinor, trialDays: row.trialDays,
    entitlements: row.entitlements, stripeMonthlyPriceId: row.stripeMonthlyPriceId, stripeYearlyPriceId: row.stripeYearlyPriceId,
    stripeSync: { status: row.stripeSyncStatus, error: row.stripeSyncError }, subscriberCount: subscribers.get(row.id) ?? 0, createdAt: row.createdAt,
  };
}

/** Plans as the agency sees them: versions newest first, subscriber counts, the worst sync status. */
export async function planViews(tx: Transaction, plans: PlanRow[]): Promise<PlanView[]> {
  const versions = await listPlanVersions(tx, plans.map((p) => p.id));
  const subscribers = await countSubscribersByVersion(tx, versions.map((v) => v.id));
  return plans.map((plan) => {
    const own = versions.filter((v) => v.planId === plan.id).map((v) => versionView(v, subscribers));
    const worst = WORST_FIRST.map((status) => own.find((v) => v.stripeSync.status === status)).find(Boolean)!;
    return {
      id: plan.id, name: plan.name, description: plan.description, currency: plan.currency, stripeProductId: plan.stripeProductId,
      archivedAt: plan.archivedAt, createdAt: plan.createdAt, updatedAt: plan.updatedAt,
      stripeSync: worst.stripeSync,
      subscriberCount: own.reduce((sum, v) => sum + v.subscriberCount, 0),
      current: own.find((v) => v.id === plan.currentVersionId)!,
      versions: own,
    };
  });
}

export async function planViewOf(tx: Transaction, plan: PlanRow): Promise<PlanView> {
  return (await planViews(tx, [plan]))[0]!;
}
