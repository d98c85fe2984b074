import type { Transaction } from 'sequelize';
import { queryOne, queryRows } from '../../db/sql.js';
import { findSubscription, type SubscriptionInterval, type SubscriptionRow, type SubscriptionStatus } from '../plans/subscription-repository.js';

/**
 * The tenant's subscription row, locked for a Stripe write. The advisory lock covers the tenant that has
 * no row yet (two first webhooks for one tenant insert one after the other, not both).
 */
export async function lockTenantSubscription(tx: Transaction, where: { agencyId: string; tenantId: string }): Promise<SubscriptionRow | undefined> {
  await queryRows(tx, 'SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))', { key: `subscription:${where.tenantId}` });
  return findSubscription(tx, where, { forUpdate: true });
}

/** The tenant a Stripe subscription or customer belongs to, by the ids stored on our rows (this agency only). */
export async function findTenantByStripeIds(tx: Transaction, where: { agencyId: string; subscriptionId: string; customerId: string }): Promise<string | undefined> {
  const row = await queryOne<{ tenantId: string }>(
    tx,
    `SELECT tenant_id AS "tenantId" FROM subscriptions WHERE agency_id = :agencyId
       AND (stripe_subscription_id = :subscriptionId OR stripe_customer_id = :customerId)
     ORDER BY (stripe_subscription_id = :subscriptionId) DESC NULLS LAST LIMIT 1`,
    where,
  );
  return row?.tenantId;
}

/** The plan version a Stripe price bills (current or replaced price ids of this agency's versions), and its interval. */
export async function findVersionByPrice(tx: Transaction, where: { agencyId: string; priceId: string }): Promise<{ versionId: string } | undefined> {
  return queryOne<{ versionId: string }>(
    tx,
    `SELECT id AS "versionId" FROM plan_versions WHERE agency_id = :agencyId
       AND (stripe_monthly_price_id = :priceId OR stripe_yearly_price_id = :priceId OR :priceId = ANY (stripe_stale_price_ids))
     ORDER BY created_at DESC LIMIT 1`,
    where,
  );
}

export type StripeState = {
  planVersionId: string;
  status: SubscriptionStatus;
  interval: SubscriptionInterval;
  currentPeriodStart: Date;
  currentPeriodEnd: Date;
  trialEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  pastDueSince: Date | null;
  stripeCustomerId: string;
  stripeSubscriptionId: string;
};

/** Writes Stripe's state over the tenant's row (created when it has none); billing becomes 'stripe'. */
export async function writeStripeState(tx: Transaction, input: StripeState & { agencyId: string; tenantId: string }): Promise<void> {
  await queryRows(
    tx,
    `INSERT INTO subscriptions (agency_id, tenant_id, plan_version_id, status, billing, interval, current_period_start, current_period_end,
       trial_end, cancel_at_period_end, past_due_since, stripe_customer_id, stripe_subscription_id, stripe_synced_at)
     VALUES (:agencyId, :tenantId, :planVersionId, :status, 'stripe', :interval, :currentPeriodStart, :currentPeriodEnd,
       :trialEnd, :cancelAtPeriodEnd, :pastDueSince, :stripeCustomerId, :stripeSubscriptionId, now())
     ON CONFLICT (tenant_id) DO UPDATE SET plan_version_id = EXCLUDED.plan_version_id, status = EXCLUDED.status, billing = 'stripe',
       interval = EXCLUDED.interval, current_period_start = EXCLUDED.current_period_start, current_period_end = EXCLUDED.current_period_end,
       trial_end = EXCLUDED.trial_end, cancel_at_period_end = EXCLUDED.cancel_at_period_end, past_due_since = EXCLUDED.past_due_since,
       stripe_customer_id = EXCLUDED.stripe_customer_id, stripe_subscription_id = EXCLUDED.stripe_subscription_id,
       stripe_synced_at = now(), updated_at = now()`,
    { ...input, trialEnd: input.trialEnd ?? null, pastDueSince: input.pastDueSince ?? null },
  );
}

/** Notes that the row matched Stripe when it was last compared (reconcile found nothing to repair). */
export async function touchStripeSynced(tx: Transaction, id: string): Promise<void> {
  await queryRows(tx, 'UPDATE subscriptions SET stripe_synced_at = now() WHERE id = :id', { id });
}

/** Remembers the tenant's Stripe customer on its row, when it has one (a tenant without a row relies on the idempotency key). */
export async function rememberStripeCustomer(tx: Transaction, where: { agencyId: string; tenantId: string; customerId: string }): Promise<void> {
  await queryRows(tx, `INSERT INTO stripe_customers (tenant_id, agency_id, customer_id) VALUES (:tenantId, :agencyId, :customerId)
    ON CONFLICT (tenant_id) DO NOTHING`, where);
  await queryRows(tx, 'UPDATE subscriptions SET stripe_customer_id = :customerId WHERE tenant_id = :tenantId AND agency_id = :agencyId AND stripe_customer_id IS NULL', where);
}

/** The tenant's Stripe customer from an earlier Checkout, whether or not a subscription followed. */
export async function findStripeCustomer(tx: Transaction, where: { agencyId: string; tenantId: string }): Promise<string | null> {
  const rows = await queryRows<{ customerId: string }>(tx,
    'SELECT customer_id AS "customerId" FROM stripe_customers WHERE tenant_id = :tenantId AND agency_id = :agencyId', where);
  return rows[0]?.customerId ?? null;
}

/** Every Stripe-billed subscription of the agency, ended ones too (a row edited to 'canceled' by mistake is drift as well). */
export async function listStripeSubscriptionIds(tx: Transaction, agencyId: string): Promise<{ tenantId: string; stripeSubscriptionId: string }[]> {
  return queryRows(
    tx,
    `SELECT tenant_id AS "tenantId", stripe_subscription_id AS "stripeSubscriptionId" FROM subscriptions
     WHERE agency_id = :agencyId AND billing = 'stripe' AND stripe_subscription_id IS NOT NULL
     ORDER BY tenant_id`,
    { agencyId },
  );
}
