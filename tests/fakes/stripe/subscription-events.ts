// customer.subscription.updated carries `previous_attributes`: the top-level fields that changed, with
// their old values. One helper makes every change to a subscription announce itself that way.
import type { Billing } from './account.js';
import { visible } from './replies.js';
import type { Subscription } from './types.js';

/** Applies `change` and, if anything visible changed, emits customer.subscription.updated (then `also`, e.g. .paused). */
export function changeSubscription(b: Billing, subscription: Subscription, change: (s: Subscription) => void, also?: string): void {
  const before = visible(subscription) as Record<string, unknown>;
  change(subscription);
  const after = visible(subscription) as Record<string, unknown>;
  const previous = Object.fromEntries(Object.keys(before).filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key])).map((key) => [key, before[key]]));
  if (Object.keys(previous).length === 0) return;
  b.emit('customer.subscription.updated', subscription, previous);
  if (also) b.emit(also, subscription);
}

/** Ends the subscription now (or at `at`): canceled, and customer.subscription.deleted. */
export function endSubscription(b: Billing, subscription: Subscription, reason: string, at = b.now()): void {
  subscription.status = 'canceled';
  subscription.ended_at = at;
  subscription.canceled_at ??= at;
  subscription.cancellation_details.reason ??= reason;
  b.emit('customer.subscription.deleted', subscription);
}

/** cancel_at_period_end (the Billing Portal's "Cancel" and its undo). */
export function setCancelAtPeriodEnd(b: Billing, subscription: Subscription, cancel: boolean): void {
  changeSubscription(b, subscription, (s) => {
    s.cancel_at_period_end = cancel;
    s.cancel_at = cancel ? s.items.data[0]!.current_period_end : null;
    s.canceled_at = cancel ? b.now() : null;
    s.cancellation_details.reason = cancel ? 'cancellation_requested' : null;
  });
}
