import { channelMissingMessage, agentLimitMessage, featureMissingMessage, restrictedMessage, seatLimitMessage } from './entitlement-messages.js';
import type { BillingState, EntitlementAction, EntitlementDecision, EntitlementUsage } from './entitlement-types.js';

const DAY_MS = 86_400_000;

/** Subscription states whose plan limits apply (no subscription, or an unfinished first Checkout: nothing is limited). */
export function limitsApply(state: BillingState | null): state is BillingState {
  return state !== null && state.status !== 'incomplete';
}

/**
 * Whether non-payment restricts the tenant now: past_due after its grace period, unpaid, canceled, paused.
 * Inside the grace period the decision carries graceUntil (the portal shows the banner). A past_due row
 * without past_due_since (not expected) counts as just started.
 */
export function restriction(state: BillingState, now: Date): { restricted: boolean; graceUntil?: Date } {
  if (state.status === 'unpaid' || state.status === 'canceled' || state.status === 'paused') return { restricted: true };
  if (state.status !== 'past_due') return { restricted: false };
  const since = state.pastDueSince ?? now;
  const graceUntil = new Date(since.getTime() + state.graceDays * DAY_MS);
  return now < graceUntil ? { restricted: false, graceUntil } : { restricted: true };
}

/** A count limit (null = unlimited): at or over it, one more is refused. Returns the limit reached, if any. */
function reached(limit: number | null, current: number): number | undefined {
  return limit !== null && current >= limit ? limit : undefined;
}

/**
 * THE entitlement decision, pure (no I/O, `now` is an input) so every action × state is table-tested.
 * Plan limits (agents, seats, channels, features) apply whatever the payment state (nothing is taken
 * away for non-payment); non-payment restricts only new outbound and AI turns. Transactional sends
 * (replies inside a conversation, opt-out confirmations) are always allowed.
 */
export function decideEntitlement(state: BillingState | null, action: EntitlementAction, now: Date, usage: EntitlementUsage = {}): EntitlementDecision {
  if (!limitsApply(state)) return { allowed: true };
  const { restricted, graceUntil } = restriction(state, now);
  const allowed: EntitlementDecision = graceUntil ? { allowed: true, graceUntil } : { allowed: true };
  const plan = state.entitlements;
  const current = usage.current ?? 0;
  switch (action.kind) {
    case 'send':
      if (restricted && !action.transactional) return { allowed: false, code: 'SUBSCRIPTION_RESTRICTED', message: restrictedMessage(state.status, 'send') };
      return allowed;
    case 'ai.turn':
      return restricted ? { allowed: false, code: 'SUBSCRIPTION_RESTRICTED', message: restrictedMessage(state.status, 'ai.turn') } : allowed;
    case 'agent.create': {
      const limit = reached(plan.agents, current);
      return limit === undefined ? allowed : { allowed: false, code: 'PLAN_LIMIT', limit, current, message: agentLimitMessage(limit, current) };
    }
    case 'seat.add': {
      const limit = reached(plan.seats, current);
      return limit === undefined ? allowed : { allowed: false, code: 'PLAN_LIMIT', limit, current, message: seatLimitMessage(limit, current) };
    }
    case 'channel.enable':
      return plan.channels.includes(action.channel) ? allowed : { allowed: false, code: 'FEATURE_NOT_IN_PLAN', message: channelMissingMessage(action.channel) };
    case 'feature.use':
      return plan.features.includes(action.feature) ? allowed : { allowed: false, code: 'FEATURE_NOT_IN_PLAN', message: featureMissingMessage(action.feature) };
  }
}
