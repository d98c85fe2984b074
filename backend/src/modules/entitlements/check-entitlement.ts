import type { Transaction } from 'sequelize';
import type { ScopedDeps } from '../../db/scoped-deps.js';
import { AppError } from '../../http/errors.js';
import { loadBillingState } from './billing-state-repository.js';
import { decideEntitlement, limitsApply } from './decide-entitlement.js';
import type { BillingState, EntitlementAction, EntitlementDecision } from './entitlement-types.js';
import { countActiveAgents, countTakenSeats } from './usage-count-repository.js';

export type EntitlementScope = { agencyId: string; tenantId: string };

/** Where the portal sends an owner to change plan (the tenant's Billing page). */
export const UPGRADE_URL = '/billing';

const COUNTED = new Set<EntitlementAction['kind']>(['agent.create', 'seat.add']);

async function currentCount(tx: Transaction, scope: EntitlementScope, action: EntitlementAction, state: BillingState): Promise<number | undefined> {
  if (action.kind === 'agent.create' && state.entitlements.agents !== null) return countActiveAgents(tx, scope);
  if (action.kind === 'seat.add' && state.entitlements.seats !== null) return countTakenSeats(tx, scope);
  return undefined;
}

/**
 * May this tenant do this now, as far as its plan and billing state go? (Roles are checked before, in
 * http/authorize.ts; sends also pass the send policy, whose `billing` rule asks decideEntitlement.)
 * Call it inside the transaction that does the work: for counted actions the subscription row is locked
 * until that transaction ends, so concurrent creates cannot both take the last slot.
 * No subscription = billing not in use: everything is allowed, as before plans existed.
 */
export async function checkEntitlement(
  tx: Transaction, scope: EntitlementScope, action: EntitlementAction, options: { now?: Date } = {},
): Promise<EntitlementDecision> {
  const state = await loadBillingState(tx, scope, { lock: COUNTED.has(action.kind) });
  const now = options.now ?? new Date();
  if (!limitsApply(state)) return decideEntitlement(state, action, now);
  return decideEntitlement(state, action, now, { current: await currentCount(tx, scope, action, state) });
}

/** A refusal as the 402 the API answers: the human sentence, plus the machine-readable code, limit and current value. */
export function paymentRequired(decision: Extract<EntitlementDecision, { allowed: false }>, extra: Record<string, unknown> = {}): AppError {
  const { code, limit, current, message } = decision;
  return new AppError('PAYMENT_REQUIRED', message, { code, limit: limit ?? null, current: current ?? null, upgradeUrl: UPGRADE_URL, ...extra });
}

/** checkEntitlement that throws 402 PAYMENT_REQUIRED on a refusal. */
export async function assertEntitled(tx: Transaction, scope: EntitlementScope, action: EntitlementAction, options: { now?: Date } = {}): Promise<void> {
  const decision = await checkEntitlement(tx, scope, action, options);
  if (!decision.allowed) throw paymentRequired(decision, actionDetails(action));
}

/** What was refused, for clients that branch on it (the channel or feature named). */
function actionDetails(action: EntitlementAction): Record<string, unknown> {
  if (action.kind === 'channel.enable') return { action: action.kind, channel: action.channel };
  if (action.kind === 'feature.use') return { action: action.kind, feature: action.feature };
  return { action: action.kind };
}

/** assertEntitled in a transaction of its own, before work that talks to a provider first (connecting a channel). */
export async function assertEntitledBefore(deps: ScopedDeps, scope: EntitlementScope, action: EntitlementAction): Promise<void> {
  await deps.runInScope(scope, (tx) => assertEntitled(tx, scope, action));
}
