import type { Transaction } from 'sequelize';
import { queryOne, sequelizeOf } from '../../db/sql.js';
import { applyScope, readScope } from '../../db/tenant-scope.js';
import type { Entitlements } from '../plans/entitlements.js';
import type { SubscriptionBilling, SubscriptionStatus } from '../plans/subscription-repository.js';
import type { BillingState } from './entitlement-types.js';

/** agency_billing_settings.grace_days when the agency never saved its settings (the column's default). */
export const DEFAULT_GRACE_DAYS = 7;

type Row = { status: SubscriptionStatus; billing: SubscriptionBilling; pastDueSince: string | Date | null; graceDays: number | null; entitlements: Entitlements };

/**
 * The tenant's billing state in ONE indexed query (subscription by its unique tenant_id, its plan version
 * and the agency's grace by primary key): this runs on the send path, twice per message.
 * `lock`: the subscription row is locked FOR UPDATE, so count-limited creates (agents, seats) of one
 * tenant run one after the other and a limit of 3 means 3 however many requests race.
 */
export async function loadBillingState(tx: Transaction, scope: { agencyId: string; tenantId: string }, options: { lock?: boolean } = {}): Promise<BillingState | null> {
  const row = await queryOne<Row>(
    tx,
    `SELECT s.status, s.billing, s.past_due_since AS "pastDueSince", v.entitlements, b.grace_days AS "graceDays"
     FROM subscriptions s
     JOIN plan_versions v ON v.id = s.plan_version_id
     LEFT JOIN agency_billing_settings b ON b.agency_id = s.agency_id
     WHERE s.tenant_id = :tenantId AND s.agency_id = :agencyId${options.lock ? ' FOR UPDATE OF s' : ''}`,
    scope,
  );
  if (!row) return null;
  // The grace matters only while past due. Under a tenant's scope the agency's settings row is hidden
  // (it holds the Stripe secrets), so that rare case reads it at agency scope.
  const graceDays = row.graceDays ?? (row.status === 'past_due' ? await agencyGraceDays(tx, scope.agencyId) : DEFAULT_GRACE_DAYS);
  return {
    status: row.status, billing: row.billing, entitlements: row.entitlements, graceDays,
    pastDueSince: row.pastDueSince === null ? null : new Date(row.pastDueSince),
  };
}

/** The agency's dunning grace, read with the scope switched to the agency for one statement and restored. */
async function agencyGraceDays(tx: Transaction, agencyId: string): Promise<number> {
  const sequelize = sequelizeOf(tx);
  const callerScope = await readScope(sequelize, tx);
  if (callerScope.tenantId === undefined) return DEFAULT_GRACE_DAYS; // agency scope saw no row: the agency has none
  await applyScope(sequelize, tx, { agencyId });
  try {
    const row = await queryOne<{ graceDays: number }>(tx, 'SELECT grace_days AS "graceDays" FROM agency_billing_settings WHERE agency_id = :agencyId', { agencyId });
    return row?.graceDays ?? DEFAULT_GRACE_DAYS;
  } finally {
    await applyScope(sequelize, tx, callerScope);
  }
}
