import type { BillingSubscription } from '../../ports/billing.js';
import type { SubscriptionRow, SubscriptionStatus } from '../plans/subscription-repository.js';
import type { StripeState } from './stripe-subscription-repository.js';

const DUNNING: readonly SubscriptionStatus[] = ['past_due', 'unpaid'];

/** Our status for Stripe's: an incomplete subscription that expired never started, which we keep as canceled. */
export function statusOf(stripe: BillingSubscription): SubscriptionStatus {
  return stripe.status === 'incomplete_expired' ? 'canceled' : stripe.status;
}

export const isEnded = (stripe: BillingSubscription) => stripe.status === 'canceled' || stripe.status === 'incomplete_expired';

/**
 * The row Stripe's subscription means. past_due_since starts when the subscription first falls behind and
 * is kept through unpaid (the grace counts from the first failure); it clears once Stripe is paid again.
 */
export function stripeStateOf(stripe: BillingSubscription, planVersionId: string, before: SubscriptionRow | undefined, now: Date): StripeState {
  const status = statusOf(stripe);
  const wasBehind = before?.stripeSubscriptionId === stripe.id && before.pastDueSince !== null && DUNNING.includes(before.status);
  return {
    planVersionId, status, interval: stripe.interval, currentPeriodStart: stripe.currentPeriodStart, currentPeriodEnd: stripe.currentPeriodEnd,
    trialEnd: stripe.trialEnd, cancelAtPeriodEnd: stripe.cancelAtPeriodEnd,
    pastDueSince: DUNNING.includes(status) ? (wasBehind ? new Date(before.pastDueSince!) : now) : null,
    stripeCustomerId: stripe.customerId, stripeSubscriptionId: stripe.id,
  };
}

const time = (value: string | Date | null) => (value === null ? null : new Date(value).getTime());

/** Whether the row already says what Stripe says (then nothing is written, audited or published). */
export function rowMatches(row: SubscriptionRow | undefined, state: StripeState): boolean {
  if (!row) return false;
  return row.billing === 'stripe' && row.planVersionId === state.planVersionId && row.status === state.status && row.interval === state.interval
    && time(row.currentPeriodStart) === time(state.currentPeriodStart) && time(row.currentPeriodEnd) === time(state.currentPeriodEnd)
    && time(row.trialEnd) === time(state.trialEnd) && row.cancelAtPeriodEnd === state.cancelAtPeriodEnd
    && (row.pastDueSince === null) === (state.pastDueSince === null)
    && row.stripeCustomerId === state.stripeCustomerId && row.stripeSubscriptionId === state.stripeSubscriptionId;
}

/** The fields an audit entry shows before and after. */
export function snapshotOf(row: SubscriptionRow | StripeState | undefined): Record<string, unknown> | null {
  if (!row) return null;
  const iso = (value: string | Date | null) => (value === null ? null : new Date(value).toISOString());
  return {
    planVersionId: row.planVersionId, status: row.status, interval: row.interval, currentPeriodEnd: iso(row.currentPeriodEnd),
    trialEnd: iso(row.trialEnd), cancelAtPeriodEnd: row.cancelAtPeriodEnd, pastDueSince: iso(row.pastDueSince),
    stripeSubscriptionId: row.stripeSubscriptionId,
    ...('billing' in row ? { billing: row.billing } : { billing: 'stripe' }),
  };
}
