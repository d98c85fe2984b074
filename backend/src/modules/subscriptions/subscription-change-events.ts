import type { Transaction } from 'sequelize';
import type { EventBus } from '../../ports/events.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { findPlan } from '../plans/plan-repository.js';
import { findPlanVersion } from '../plans/plan-version-repository.js';
import type { SubscriptionRow, SubscriptionStatus } from '../plans/subscription-repository.js';
import { snapshotOf } from './stripe-state.js';

/** The subscription.* events Stripe's changes publish for n8n (beside the plans module's hand-made ones). */
export const STRIPE_SUBSCRIPTION_EVENT_TYPES = [
  'subscription.created', 'subscription.updated', 'subscription.past_due', 'subscription.restricted', 'subscription.recovered', 'subscription.canceled',
] as const;
export type StripeSubscriptionEventType = (typeof STRIPE_SUBSCRIPTION_EVENT_TYPES)[number];

const BEHIND: readonly SubscriptionStatus[] = ['past_due', 'unpaid', 'paused'];

/** Which event a change is: a new Stripe subscription, a status transition, or new terms. */
export function eventTypeOf(before: SubscriptionRow | undefined, after: SubscriptionRow): StripeSubscriptionEventType {
  if (!before || before.billing !== 'stripe' || before.stripeSubscriptionId !== after.stripeSubscriptionId) return 'subscription.created';
  if (before.status === after.status) return 'subscription.updated';
  if (after.status === 'canceled') return 'subscription.canceled';
  if (after.status === 'past_due') return 'subscription.past_due';
  if (after.status === 'unpaid' || after.status === 'paused') return 'subscription.restricted';
  if (BEHIND.includes(before.status) && (after.status === 'active' || after.status === 'trialing')) return 'subscription.recovered';
  return 'subscription.updated';
}

/**
 * Audits and publishes one applied Stripe change in its transaction: `subscription.status_changed` (or
 * `subscription.updated` for new terms), or `subscription.reconciled` when the nightly compare repaired drift.
 */
export async function recordStripeChange(
  tx: Transaction,
  events: EventBus,
  input: { agencyId: string; before: SubscriptionRow | undefined; after: SubscriptionRow; origin: 'webhook' | 'reconcile'; stripeEventId?: string },
): Promise<StripeSubscriptionEventType> {
  const { agencyId, before, after } = input;
  const action = input.origin === 'reconcile' ? 'subscription.reconciled'
    : before?.status !== after.status ? 'subscription.status_changed' : 'subscription.updated';
  await recordAuditEvent(tx, {
    agencyId, tenantId: after.tenantId, actor: { type: 'system', id: input.origin === 'reconcile' ? 'stripe-reconcile' : `stripe:${input.stripeEventId ?? 'webhook'}` },
    action, target: { type: 'subscription', id: after.id }, before: snapshotOf(before), after: snapshotOf(after),
  });
  const type = eventTypeOf(before, after);
  const version = await findPlanVersion(tx, { agencyId, versionId: after.planVersionId });
  const plan = version && (await findPlan(tx, { agencyId, planId: version.planId }));
  await events.publish({
    type, agencyId, tenantId: after.tenantId,
    data: {
      subscriptionId: after.id, planId: plan?.id ?? null, planName: plan?.name ?? null, planVersion: version?.version ?? null, planVersionId: after.planVersionId,
      status: after.status, previousStatus: before?.status ?? null, billing: after.billing, interval: after.interval, currentPeriodEnd: after.currentPeriodEnd,
      trialEnd: after.trialEnd, cancelAtPeriodEnd: after.cancelAtPeriodEnd, pastDueSince: after.pastDueSince, stripeSubscriptionId: after.stripeSubscriptionId,
    },
  }, { transaction: tx });
  return type;
}
