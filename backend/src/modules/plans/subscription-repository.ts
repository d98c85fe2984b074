import type { Transaction } from 'sequelize';
import { iso } from '../../db/rows.js';
import { queryOne, queryRows } from '../../db/sql.js';

export type SubscriptionStatus = 'trialing' | 'active' | 'past_due' | 'unpaid' | 'canceled' | 'paused' | 'incomplete';
export type SubscriptionBilling = 'stripe' | 'manual' | 'comped';
export type SubscriptionInterval = 'month' | 'year';

export type SubscriptionRow = {
  id: string;
  agencyId: string;
  tenantId: string;
  planVersionId: string;
  status: SubscriptionStatus;
  billing: SubscriptionBilling;
  interval: SubscriptionInterval;
  currentPeriodStart: string;
  currentPeriodEnd: string;
  trialEnd: string | null;
  cancelAtPeriodEnd: boolean;
  pastDueSince: string | null;
  stripeCustomerId: string | null;
  stripeSubscriptionId: string | null;
  createdAt: string;
  updatedAt: string;
};

const COLUMNS = `id, agency_id AS "agencyId", tenant_id AS "tenantId", plan_version_id AS "planVersionId", status, billing, interval,
  current_period_start AS "currentPeriodStart", current_period_end AS "currentPeriodEnd", trial_end AS "trialEnd",
  cancel_at_period_end AS "cancelAtPeriodEnd", past_due_since AS "pastDueSince", stripe_customer_id AS "stripeCustomerId",
  stripe_subscription_id AS "stripeSubscriptionId", created_at AS "createdAt", updated_at AS "updatedAt"`;

const plain = (row: SubscriptionRow): SubscriptionRow => ({
  ...row,
  currentPeriodStart: iso(row.currentPeriodStart)!, currentPeriodEnd: iso(row.currentPeriodEnd)!, trialEnd: iso(row.trialEnd),
  pastDueSince: iso(row.pastDueSince), createdAt: iso(row.createdAt)!, updatedAt: iso(row.updatedAt)!,
});

/** Subscribers (anything but canceled) per plan version. */
export async function countSubscribersByVersion(tx: Transaction, versionIds: string[]): Promise<Map<string, number>> {
  if (versionIds.length === 0) return new Map();
  const rows = await queryRows<{ versionId: string; count: string }>(
    tx,
    `SELECT plan_version_id AS "versionId", count(*) AS count FROM subscriptions
     WHERE plan_version_id IN (:versionIds) AND status <> 'canceled' GROUP BY plan_version_id`,
    { versionIds },
  );
  return new Map(rows.map((row) => [row.versionId, Number(row.count)]));
}

export async function findSubscription(tx: Transaction, where: { agencyId: string; tenantId: string }, options: { forUpdate?: boolean } = {}): Promise<SubscriptionRow | undefined> {
  const row = await queryOne<SubscriptionRow>(
    tx, `SELECT ${COLUMNS} FROM subscriptions WHERE tenant_id = :tenantId AND agency_id = :agencyId${options.forUpdate ? ' FOR UPDATE' : ''}`, where,
  );
  return row && plain(row);
}

export type SubscriptionTerms = {
  planVersionId: string;
  status: SubscriptionStatus;
  billing: SubscriptionBilling;
  interval: SubscriptionInterval;
  currentPeriodStart: Date;
  currentPeriodEnd: Date;
  trialEnd: Date | null;
};

/** The tenant's one subscription, created or replaced by hand (Stripe's ids and dunning state reset). */
export async function upsertSubscription(tx: Transaction, input: SubscriptionTerms & { agencyId: string; tenantId: string }): Promise<SubscriptionRow> {
  const row = await queryOne<SubscriptionRow>(
    tx,
    `INSERT INTO subscriptions (agency_id, tenant_id, plan_version_id, status, billing, interval, current_period_start, current_period_end, trial_end)
     VALUES (:agencyId, :tenantId, :planVersionId, :status, :billing, :interval, :currentPeriodStart, :currentPeriodEnd, :trialEnd)
     ON CONFLICT (tenant_id) DO UPDATE SET plan_version_id = EXCLUDED.plan_version_id, status = EXCLUDED.status, billing = EXCLUDED.billing,
       interval = EXCLUDED.interval, current_period_start = EXCLUDED.current_period_start, current_period_end = EXCLUDED.current_period_end,
       trial_end = EXCLUDED.trial_end, cancel_at_period_end = false, past_due_since = NULL, updated_at = now()
     RETURNING ${COLUMNS}`,
    { ...input, trialEnd: input.trialEnd ?? null },
  );
  return plain(row!);
}

/** Ends the subscription now; the row stays (status canceled) as the tenant's billing history. */
export async function cancelSubscriptionNow(tx: Transaction, id: string): Promise<SubscriptionRow> {
  const row = await queryOne<SubscriptionRow>(
    tx,
    `UPDATE subscriptions SET status = 'canceled', current_period_end = LEAST(current_period_end, now()), cancel_at_period_end = false,
       updated_at = now() WHERE id = :id RETURNING ${COLUMNS}`,
    { id },
  );
  return plain(row!);
}

/**
 * Moves the plan's live subscriptions billed outside Stripe from older versions to `toVersionId`.
 * Stripe-billed ones stay (their price changes through Stripe) and are counted as skipped.
 */
export async function moveSubscriptionsToVersion(
  tx: Transaction,
  input: { planId: string; toVersionId: string; fromVersionId?: string },
): Promise<{ moved: { tenantId: string; fromVersionId: string }[]; skipped: number }> {
  const where = `s.plan_version_id = v.id AND v.plan_id = :planId AND s.plan_version_id <> :toVersionId AND s.status <> 'canceled'
    AND (CAST(:fromVersionId AS uuid) IS NULL OR s.plan_version_id = CAST(:fromVersionId AS uuid))`;
  const replacements = { ...input, fromVersionId: input.fromVersionId ?? null };
  const moved = await queryRows<{ tenantId: string; fromVersionId: string }>(
    tx,
    `WITH old AS (SELECT s.id, s.plan_version_id FROM subscriptions s, plan_versions v WHERE ${where} AND s.billing <> 'stripe' FOR UPDATE OF s)
     UPDATE subscriptions s SET plan_version_id = :toVersionId, updated_at = now() FROM old WHERE s.id = old.id
     RETURNING s.tenant_id AS "tenantId", old.plan_version_id AS "fromVersionId"`,
    replacements,
  );
  const skipped = await queryOne<{ count: string }>(tx, `SELECT count(*) AS count FROM subscriptions s, plan_versions v WHERE ${where}`, replacements);
  return { moved, skipped: Number(skipped?.count ?? 0) };
}
