import type { FlagKey } from '../feature-flags/flag-registry.js';
import type { Entitlements, PlanChannel } from '../plans/entitlements.js';
import type { SubscriptionBilling, SubscriptionStatus } from '../plans/subscription-repository.js';

/** What a caller wants to do that a plan or the billing state may refuse. */
export type EntitlementAction =
  /** One more switched-on AI agent: created on, or switched on later (paused agents do not count). */
  | { kind: 'agent.create' }
  | { kind: 'channel.enable'; channel: PlanChannel }
  /** One more portal user in the tenant (an invitation reserves the seat until it is accepted, revoked or expires). */
  | { kind: 'seat.add' }
  | { kind: 'feature.use'; feature: FlagKey }
  | { kind: 'ai.turn' }
  /** transactional: a reply inside an existing conversation, an opt-out/opt-in confirmation, a HELP reply. */
  | { kind: 'send'; transactional: boolean };

export type RefusalCode = 'PLAN_LIMIT' | 'FEATURE_NOT_IN_PLAN' | 'SUBSCRIPTION_RESTRICTED';

export type EntitlementDecision =
  | { allowed: true; graceUntil?: Date }
  | { allowed: false; code: RefusalCode; limit?: number; current?: number; message: string };

/**
 * The tenant's subscription as the check needs it (one row: subscription ⋈ plan version ⋈ agency billing
 * settings). null = no subscription: billing is not in use for this tenant and nothing is limited.
 */
export type BillingState = {
  status: SubscriptionStatus;
  billing: SubscriptionBilling;
  pastDueSince: Date | null;
  graceDays: number;
  entitlements: Entitlements;
};

/** Counts the limits compare against, read only for the actions that need them. */
export type EntitlementUsage = { current?: number };
