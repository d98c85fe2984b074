import { listAgencyIds } from '../outbox/outbox-repository.js';
import { listStripeSubscriptionIds } from './stripe-subscription-repository.js';
import type { SubscriptionDeps } from './subscription-deps.js';
import { syncStripeSubscription } from './sync-stripe-subscription.js';

export type ReconcileReport = { checked: number; repaired: number; failed: number };

/**
 * The nightly compare: every Stripe-billed subscription (of one agency, or all) is re-read from Stripe and
 * any drift repaired, audited as subscription.reconciled (a missed or failed webhook, a hand edit). One
 * failure (Stripe down for one agency) is counted and the rest go on; running it twice changes nothing.
 */
export async function reconcileSubscriptions(deps: SubscriptionDeps, options: { agencyId?: string } = {}): Promise<ReconcileReport> {
  const agencyIds = options.agencyId ? [options.agencyId] : await deps.runInScope({}, (tx) => listAgencyIds(tx));
  const report: ReconcileReport = { checked: 0, repaired: 0, failed: 0 };
  for (const agencyId of agencyIds) {
    const rows = await deps.runInScope({ agencyId }, (tx) => listStripeSubscriptionIds(tx, agencyId));
    for (const row of rows) {
      report.checked += 1;
      try {
        const result = await syncStripeSubscription(deps, { agencyId, subscriptionId: row.stripeSubscriptionId, tenantHint: row.tenantId, origin: 'reconcile' });
        if (result.outcome === 'applied') report.repaired += 1;
      } catch (err) {
        report.failed += 1;
        deps.logger?.warn({ agencyId, tenantId: row.tenantId, err: (err as Error).message }, 'subscription reconcile failed');
      }
    }
  }
  return report;
}
