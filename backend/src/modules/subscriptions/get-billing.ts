import type { Transaction } from 'sequelize';
import type { Actor } from '../../http/request-context.js';
import { findBillingSettings } from '../billing-account/billing-settings-repository.js';
import { DEFAULT_GRACE_DAYS } from '../entitlements/billing-state-repository.js';
import { restriction } from '../entitlements/decide-entitlement.js';
import { restrictedMessage } from '../entitlements/entitlement-messages.js';
import { findPlan, listPlans } from '../plans/plan-repository.js';
import { findPlanVersion, listPlanVersions } from '../plans/plan-version-repository.js';
import type { SubscriptionRow } from '../plans/subscription-repository.js';
import type { BillingView } from './schemas.js';
import type { SubscriptionDeps } from './subscription-deps.js';
import { loadTenantBilling, type TenantBilling } from './tenant-billing-context.js';

const DAY_MS = 86_400_000;

/** The tenant's Billing page: its plan and what it includes, status, next payment, trial, the dunning banner, the plans on offer. */
export async function getBilling(deps: SubscriptionDeps, input: { actor: Actor }): Promise<BillingView> {
  return deps.runInScope({ agencyId: input.actor.principal.agencyId }, async (tx) => {
    const billing = await loadTenantBilling(tx, deps, input.actor);
    const now = new Date();
    const row = billing.subscription;
    const version = row ? await findPlanVersion(tx, { agencyId: billing.agencyId, versionId: row.planVersionId }) : undefined;
    const plan = version ? await findPlan(tx, { agencyId: billing.agencyId, planId: version.planId }) : undefined;
    const live = row && row.status !== 'canceled' ? row : undefined;
    return {
      subscription: row && plan && version ? {
        id: row.id, status: row.status, billing: row.billing, interval: row.interval,
        plan: { id: plan.id, name: plan.name, versionId: version.id, version: version.version },
        currentPeriodStart: row.currentPeriodStart, currentPeriodEnd: row.currentPeriodEnd, nextPaymentAt: nextPaymentAt(row),
        trialEnd: row.trialEnd, trialDaysLeft: row.status === 'trialing' && row.trialEnd ? Math.max(0, Math.ceil((Date.parse(row.trialEnd) - now.getTime()) / DAY_MS)) : null,
        cancelAtPeriodEnd: row.cancelAtPeriodEnd, pastDueSince: row.pastDueSince,
      } : null,
      entitlements: live && version ? version.entitlements : null,
      banner: live ? await bannerOf(tx, billing, live, now) : null,
      plans: await offeredPlans(tx, billing, live?.planVersionId),
      payments: { online: !!billing.credentials, customerPortal: !!billing.credentials && !!row?.stripeCustomerId },
    };
  });
}

function nextPaymentAt(row: SubscriptionRow): string | null {
  if (row.billing !== 'stripe' || row.cancelAtPeriodEnd || !['active', 'trialing', 'past_due'].includes(row.status)) return null;
  return row.status === 'trialing' && row.trialEnd ? row.trialEnd : row.currentPeriodEnd;
}

/** Past due within the grace: a warning with the date service stops; after it (or unpaid, paused): restricted. */
async function bannerOf(tx: Transaction, billing: TenantBilling, row: SubscriptionRow, now: Date): Promise<BillingView['banner']> {
  if (!['past_due', 'unpaid', 'paused'].includes(row.status)) return null;
  const graceDays = (await findBillingSettings(tx, billing.agencyId))?.graceDays ?? DEFAULT_GRACE_DAYS;
  const state = { status: row.status, billing: row.billing, pastDueSince: row.pastDueSince ? new Date(row.pastDueSince) : null, graceDays, entitlements: null as never }; // restriction() reads status and dates only
  const { restricted, graceUntil } = restriction(state, now);
  if (restricted) return { kind: 'restricted', graceUntil: null, message: restrictedMessage(row.status, 'send') };
  return {
    kind: 'past_due', graceUntil: graceUntil?.toISOString() ?? null,
    message: `Your last payment failed. Everything keeps working until ${graceUntil?.toISOString().slice(0, 10) ?? 'the end of the grace period'}; update your card to avoid an interruption.`,
  };
}

async function offeredPlans(tx: Transaction, billing: TenantBilling, currentVersionId: string | undefined): Promise<BillingView['plans']> {
  const plans = (await listPlans(tx, billing.agencyId)).filter((plan) => !plan.archivedAt);
  const versions = new Map((await listPlanVersions(tx, plans.map((plan) => plan.id))).map((version) => [version.id, version]));
  return plans.flatMap((plan) => {
    const version = versions.get(plan.currentVersionId);
    if (!version) return [];
    return [{
      id: plan.id, name: plan.name, description: plan.description, currency: plan.currency, versionId: version.id, version: version.version,
      monthlyPriceMinor: version.monthlyPriceMinor, yearlyPriceMinor: version.yearlyPriceMinor, trialDays: version.trialDays, entitlements: version.entitlements,
      current: currentVersionId !== undefined && versions.get(currentVersionId)?.planId === plan.id,
      payableOnline: !!billing.credentials && !!version.stripeMonthlyPriceId,
    }];
  });
}
