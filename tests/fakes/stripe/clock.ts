// Stripe's clock for one account. Advancing it runs, in time order, everything that falls due on the
// way (as a Stripe test clock does): trial_will_end three days before a trial ends, period ends
// (trial end, renewal with a draft invoice, cancel at period end), draft invoices finalizing and being
// charged an hour later, payment retries, paused collection resuming, unpaid first invoices expiring.
// Each event is stamped with the time it happened, not the time advanced to.
import type { Billing } from './account.js';
import { finalizeInvoice, payInvoice } from './invoices.js';
import { expireIncomplete, renew, trialWillEnd } from './lifecycle.js';
import { changeSubscription } from './subscription-events.js';

type Task = { at: number; run: () => void };
const DAY = 86_400;
const LIVE = ['trialing', 'active', 'past_due', 'unpaid'];

export function advanceClock(b: Billing, seconds: number): void {
  if (!Number.isFinite(seconds) || seconds < 0) throw new Error('seconds must be a non-negative number');
  const target = b.account.clock.now + Math.floor(seconds);
  for (let steps = 0; steps < 100_000; steps += 1) {
    const next = dueTasks(b).filter((task) => task.at <= target).sort((x, y) => x.at - y.at)[0];
    if (!next) break;
    b.account.clock.now = Math.max(b.account.clock.now, next.at);
    next.run();
  }
  b.account.clock.now = target;
}

function dueTasks(b: Billing): Task[] {
  const tasks: Task[] = [];
  for (const s of b.account.subscriptions.values()) {
    if (s.status === 'trialing' && s.trial_end !== null && s._trialWillEndFor !== s.trial_end) {
      tasks.push({ at: Math.max(s.trial_end - 3 * DAY, s.trial_start ?? s.created), run: () => trialWillEnd(b, s) });
    }
    if (LIVE.includes(s.status)) tasks.push({ at: s.items.data[0]!.current_period_end, run: () => renew(b, s) });
    if (s.status === 'incomplete' && s._incompleteUntil !== undefined) tasks.push({ at: s._incompleteUntil, run: () => expireIncomplete(b, s) });
    const resumesAt = s.pause_collection?.resumes_at;
    if (resumesAt) tasks.push({ at: resumesAt, run: () => changeSubscription(b, s, (x) => { x.pause_collection = null; }) });
  }
  for (const invoice of b.account.invoices.values()) {
    if (invoice.status === 'draft' && invoice._finalizeAt !== undefined) {
      tasks.push({ at: invoice._finalizeAt, run: () => { finalizeInvoice(b, invoice); if (invoice.status === 'open') payInvoice(b, invoice); } });
    }
    if (invoice.status === 'open' && invoice.next_payment_attempt !== null) tasks.push({ at: invoice.next_payment_attempt, run: () => payInvoice(b, invoice) });
  }
  return tasks;
}
