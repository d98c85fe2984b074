import type { Transaction } from 'sequelize';
import { iso } from '../../db/rows.js';
import { queryOne, queryRows } from '../../db/sql.js';
import type { Entitlements } from './entitlements.js';

export type StripeSyncStatus = 'pending' | 'synced' | 'not_connected' | 'failed';

export type PlanVersionRow = {
  id: string;
  planId: string;
  agencyId: string;
  version: number;
  monthlyPriceMinor: number;
  yearlyPriceMinor: number | null;
  trialDays: number;
  entitlements: Entitlements;
  stripeMonthlyPriceId: string | null;
  stripeYearlyPriceId: string | null;
  priceRevision: number;
  stripeStalePriceIds: string[];
  stripeSyncStatus: StripeSyncStatus;
  stripeSyncError: string | null;
  createdAt: string;
  createdBy: string;
};

/** The terms a version holds (what an edit compares and writes). */
export type PlanTerms = { monthlyPriceMinor: number; yearlyPriceMinor: number | null; trialDays: number; entitlements: Entitlements };

const COLUMNS = `id, plan_id AS "planId", agency_id AS "agencyId", version, monthly_price_minor AS "monthlyPriceMinor",
  yearly_price_minor AS "yearlyPriceMinor", trial_days AS "trialDays", entitlements, stripe_monthly_price_id AS "stripeMonthlyPriceId",
  stripe_yearly_price_id AS "stripeYearlyPriceId", price_revision AS "priceRevision", stripe_stale_price_ids AS "stripeStalePriceIds",
  stripe_sync_status AS "stripeSyncStatus", stripe_sync_error AS "stripeSyncError", created_at AS "createdAt", created_by AS "createdBy"`;

// bigint arrives as a string; prices are bounded far below 2^53.
const plain = (row: PlanVersionRow): PlanVersionRow => ({
  ...row,
  monthlyPriceMinor: Number(row.monthlyPriceMinor),
  yearlyPriceMinor: row.yearlyPriceMinor === null ? null : Number(row.yearlyPriceMinor),
  createdAt: iso(row.createdAt)!,
});

export async function insertPlanVersion(
  tx: Transaction,
  input: PlanTerms & { planId: string; agencyId: string; version: number; createdBy: string },
): Promise<PlanVersionRow> {
  const row = await queryOne<PlanVersionRow>(
    tx,
    `INSERT INTO plan_versions (plan_id, agency_id, version, monthly_price_minor, yearly_price_minor, trial_days, entitlements, created_by)
     VALUES (:planId, :agencyId, :version, :monthlyPriceMinor, :yearlyPriceMinor, :trialDays, CAST(:entitlements AS jsonb), :createdBy)
     RETURNING ${COLUMNS}`,
    { ...input, entitlements: JSON.stringify(input.entitlements) },
  );
  return plain(row!);
}

export async function findPlanVersion(tx: Transaction, where: { agencyId: string; versionId: string }): Promise<PlanVersionRow | undefined> {
  const row = await queryOne<PlanVersionRow>(tx, `SELECT ${COLUMNS} FROM plan_versions WHERE id = :versionId AND agency_id = :agencyId`, where);
  return row && plain(row);
}

/** A plan's versions, newest first. */
export async function listPlanVersions(tx: Transaction, planIds: string[]): Promise<PlanVersionRow[]> {
  if (planIds.length === 0) return [];
  const rows = await queryRows<PlanVersionRow>(tx, `SELECT ${COLUMNS} FROM plan_versions WHERE plan_id IN (:planIds) ORDER BY plan_id, version DESC`, { planIds });
  return rows.map(plain);
}

/**
 * Edits an unsubscribed version in place. A changed price needs new Stripe prices (they are immutable):
 * the old ids move to the stale list (archived by the next sync) and the revision bumps, so the new
 * prices get idempotency keys of their own.
 */
export async function replaceVersionTerms(tx: Transaction, current: PlanVersionRow, terms: PlanTerms): Promise<PlanVersionRow> {
  const monthlyChanged = terms.monthlyPriceMinor !== current.monthlyPriceMinor;
  const yearlyChanged = terms.yearlyPriceMinor !== current.yearlyPriceMinor;
  const stale = [...(monthlyChanged ? [current.stripeMonthlyPriceId] : []), ...(yearlyChanged ? [current.stripeYearlyPriceId] : [])].filter((id): id is string => !!id);
  const row = await queryOne<PlanVersionRow>(
    tx,
    `UPDATE plan_versions SET monthly_price_minor = :monthlyPriceMinor, yearly_price_minor = :yearlyPriceMinor, trial_days = :trialDays,
       entitlements = CAST(:entitlements AS jsonb),
       stripe_monthly_price_id = CASE WHEN :monthlyChanged THEN NULL ELSE stripe_monthly_price_id END,
       stripe_yearly_price_id = CASE WHEN :yearlyChanged THEN NULL ELSE stripe_yearly_price_id END,
       price_revision = price_revision + CASE WHEN :monthlyChanged OR :yearlyChanged THEN 1 ELSE 0 END,
       stripe_stale_price_ids = array_remove(stripe_stale_price_ids || CAST(ARRAY[:stale] AS text[]), NULL),
       stripe_sync_status = CASE WHEN :monthlyChanged OR :yearlyChanged THEN 'pending' ELSE stripe_sync_status END
     WHERE id = :id RETURNING ${COLUMNS}`,
    { ...terms, id: current.id, entitlements: JSON.stringify(terms.entitlements), monthlyChanged, yearlyChanged, stale: stale.length ? stale : [null] },
  );
  return plain(row!);
}

/** Marks versions for the next sync (an edit of the plan's name, an archive). */
export async function markVersionsPending(tx: Transaction, planId: string): Promise<void> {
  await queryRows(tx, `UPDATE plan_versions SET stripe_sync_status = 'pending', stripe_sync_error = NULL WHERE plan_id = :planId`, { planId });
}

/**
 * Records a sync's outcome for one version. Only when the version's prices did not change meanwhile
 * (same revision): a concurrent edit's own sync then has the last word.
 */
export async function recordVersionSync(
  tx: Transaction,
  input: {
    id: string; priceRevision: number; status: StripeSyncStatus; error: string | null;
    monthlyPriceId?: string | null; yearlyPriceId?: string | null; archivedStaleIds?: string[];
  },
): Promise<void> {
  await queryRows(
    tx,
    `UPDATE plan_versions SET stripe_sync_status = :status, stripe_sync_error = :error,
       stripe_monthly_price_id = COALESCE(:monthlyPriceId, stripe_monthly_price_id),
       stripe_yearly_price_id = COALESCE(:yearlyPriceId, stripe_yearly_price_id),
       stripe_stale_price_ids = ARRAY(SELECT s FROM unnest(stripe_stale_price_ids) AS s WHERE s <> ALL (array_remove(CAST(ARRAY[:archived] AS text[]), NULL)))
     WHERE id = :id AND price_revision = :priceRevision`,
    {
      id: input.id, priceRevision: input.priceRevision, status: input.status, error: input.error?.slice(0, 500) ?? null,
      monthlyPriceId: input.monthlyPriceId ?? null, yearlyPriceId: input.yearlyPriceId ?? null,
      archived: input.archivedStaleIds?.length ? input.archivedStaleIds : [null],
    },
  );
}
