import type { ScopedDeps } from '../../db/scoped-deps.js';
import { loadBillingState } from './billing-state-repository.js';
import { limitsApply, restriction } from './decide-entitlement.js';

export type BillingNotice =
  | { state: 'past_due'; graceUntil: string; message: string }
  | { state: 'restricted'; message: string };

const RESTRICTED_BECAUSE = { past_due: 'the payment is overdue', unpaid: 'the subscription is not paid', canceled: 'the subscription was canceled', paused: 'the subscription is paused' } as const;

/**
 * What every page of a business shows above its content when non-payment affects it (null otherwise): the
 * same billing state and grace rule as the entitlement check, so the banner and the refusals agree.
 */
export async function getBillingNotice(deps: ScopedDeps, scope: { agencyId: string; tenantId: string }, now = new Date()): Promise<{ notice: BillingNotice | null }> {
  const state = await deps.runInScope(scope, (tx) => loadBillingState(tx, scope));
  if (!limitsApply(state)) return { notice: null };
  const { restricted, graceUntil } = restriction(state, now);
  if (restricted) {
    const because = RESTRICTED_BECAUSE[state.status as keyof typeof RESTRICTED_BECAUSE] ?? 'of the subscription';
    return { notice: { state: 'restricted', message: `Service is restricted because ${because}: new messages, follow-ups and AI replies are paused. Incoming messages are still saved and opt-outs honoured. Paying restores everything at once.` } };
  }
  if (graceUntil) {
    const day = graceUntil.toISOString().slice(0, 10);
    return { notice: { state: 'past_due', graceUntil: graceUntil.toISOString(), message: `The last payment failed. Service continues until ${day}; update the payment method to keep it running.` } };
  }
  return { notice: null };
}
