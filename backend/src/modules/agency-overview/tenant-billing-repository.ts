import type { Transaction } from 'sequelize';
import { queryOne, queryRows } from '../../db/sql.js';
import type { SubscriptionBilling, SubscriptionInterval, SubscriptionStatus } from '../plans/subscription-repository.js';

/** A tenant's subscription as the overview's plan/billing column needs it (all nulls: no subscription). */
export type TenantBillingRow = {
  tenantId: string;
  status: SubscriptionStatus | null;
  billing: SubscriptionBilling | null;
  interval: SubscriptionInterval | null;
  pastDueSince: string | null;
  planId: string | null;
  planName: string | null;
  planVersion: number | null;
  currency: string | null;
  monthlyPriceMinor: number | null;
  yearlyPriceMinor: number | null;
};

type RawRow = Omit<TenantBillingRow, 'monthlyPriceMinor' | 'yearlyPriceMinor' | 'pastDueSince'> & {
  monthlyPriceMinor: string | number | null; yearlyPriceMinor: string | number | null; pastDueSince: string | Date | null;
};

const toNumber = (value: string | number | null) => (value === null ? null : Number(value));

/** Every tenant of the agency with its subscription, plan version and price (one statement; MRR totals need them all). */
export async function selectTenantBilling(tx: Transaction, where: { agencyId: string }): Promise<TenantBillingRow[]> {
  const rows = await queryRows<RawRow>(
    tx,
    `SELECT t.id AS "tenantId", s.status, s.billing, s.interval, s.past_due_since AS "pastDueSince",
            p.id AS "planId", p.name AS "planName", v.version AS "planVersion", p.currency,
            v.monthly_price_minor AS "monthlyPriceMinor", v.yearly_price_minor AS "yearlyPriceMinor"
       FROM tenants t
       LEFT JOIN subscriptions s ON s.tenant_id = t.id AND s.agency_id = t.agency_id
       LEFT JOIN plan_versions v ON v.id = s.plan_version_id
       LEFT JOIN plans p ON p.id = v.plan_id
      WHERE t.agency_id = :agencyId`,
    where,
  );
  return rows.map((row) => ({
    ...row, monthlyPriceMinor: toNumber(row.monthlyPriceMinor), yearlyPriceMinor: toNumber(row.yearlyPriceMinor),
    pastDueSince: row.pastDueSince === null ? null : new Date(row.pastDueSince).toISOString(),
  }));
}

/** The agency's currency and dunning grace (its settings row, or the defaults when it never saved one). */
export async function selectAgencyBillingTerms(tx: Transaction, where: { agencyId: string }): Promise<{ currency: string; graceDays: number } | undefined> {
  return queryOne<{ currency: string; graceDays: number }>(
    tx, 'SELECT currency, grace_days AS "graceDays" FROM agency_billing_settings WHERE agency_id = :agencyId', where,
  );
}
