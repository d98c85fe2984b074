import type { Transaction } from 'sequelize';
import type { EventBus } from '../../ports/events.js';
import type { PlanRow } from './plan-repository.js';
import type { PlanVersionRow } from './plan-version-repository.js';
import type { SubscriptionView } from './subscription-schemas.js';
import type { SubscriptionRow } from './subscription-repository.js';

export const SUBSCRIPTION_EVENT_TYPES = [
  'subscription.assigned', 'subscription.changed', 'subscription.comped', 'subscription.trial_granted', 'subscription.removed',
] as const;
export type SubscriptionEventType = (typeof SUBSCRIPTION_EVENT_TYPES)[number];

export function subscriptionViewOf(row: SubscriptionRow, plan: PlanRow, version: PlanVersionRow): SubscriptionView {
  return {
    id: row.id, tenantId: row.tenantId, plan: { id: plan.id, name: plan.name, versionId: version.id, version: version.version },
    status: row.status, billing: row.billing, interval: row.interval, currentPeriodStart: row.currentPeriodStart, currentPeriodEnd: row.currentPeriodEnd,
    trialEnd: row.trialEnd, cancelAtPeriodEnd: row.cancelAtPeriodEnd, updatedAt: row.updatedAt,
  };
}

/** Published in the change's own transaction: the event exists exactly when the change committed (n8n triggers). */
export async function publishSubscriptionEvent(
  tx: Transaction,
  events: EventBus,
  input: { type: SubscriptionEventType; agencyId: string; subscription: SubscriptionView; extra?: Record<string, unknown> },
): Promise<void> {
  const s = input.subscription;
  await events.publish({
    type: input.type, agencyId: input.agencyId, tenantId: s.tenantId,
    data: {
      subscriptionId: s.id, planId: s.plan.id, planName: s.plan.name, planVersion: s.plan.version, status: s.status, billing: s.billing,
      interval: s.interval, currentPeriodEnd: s.currentPeriodEnd, trialEnd: s.trialEnd, ...input.extra,
    },
  }, { transaction: tx });
}
