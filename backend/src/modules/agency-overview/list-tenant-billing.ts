import type { Transaction } from 'sequelize';
import { DEFAULT_GRACE_DAYS } from '../entitlements/billing-state-repository.js';
import { billingColumnOf, mrrTotalsOf, type MrrTotals, type TenantBillingColumn } from './summarize-tenant-billing.js';
import { selectAgencyBillingTerms, selectTenantBilling } from './tenant-billing-repository.js';

export type AgencyBilling = { columns: Map<string, TenantBillingColumn>; totals: MrrTotals };

/** Every tenant's plan/billing column and the agency's total MRR (over all tenants, whatever page is shown). */
export async function loadAgencyBilling(tx: Transaction, input: { agencyId: string; now?: Date }): Promise<AgencyBilling> {
  const terms = await selectAgencyBillingTerms(tx, input);
  const graceDays = terms?.graceDays ?? DEFAULT_GRACE_DAYS;
  const rows = await selectTenantBilling(tx, input);
  const columns = new Map(rows.map((row) => [row.tenantId, billingColumnOf(row, graceDays, input.now)]));
  return { columns, totals: mrrTotalsOf([...columns.values()], (terms?.currency ?? 'usd').trim()) };
}
