import type { ScopedDeps } from '../../db/scoped-deps.js';
import { loadAgencyBilling } from './list-tenant-billing.js';
import type { MrrTotals, TenantBillingColumn } from './summarize-tenant-billing.js';
import { selectTenantHealth, type TenantHealth } from './tenant-health-repository.js';

export type TenantOverview = TenantHealth & { billing: TenantBillingColumn | null };

/**
 * One row per tenant of the caller's agency: which channels are set up and how today's traffic went, and,
 * for those who manage billing (`withBilling`), the plan/billing column and the agency's total MRR.
 */
export function listTenantHealth(
  deps: ScopedDeps,
  input: { agencyId: string; limit: number; offset: number; withBilling?: boolean },
): Promise<{ tenants: TenantOverview[]; mrr: MrrTotals | null }> {
  return deps.runInScope({ agencyId: input.agencyId }, async (tx) => {
    const health = await selectTenantHealth(tx, input);
    if (!input.withBilling) return { tenants: health.map((tenant) => ({ ...tenant, billing: null })), mrr: null };
    const billing = await loadAgencyBilling(tx, { agencyId: input.agencyId });
    return { tenants: health.map((tenant) => ({ ...tenant, billing: billing.columns.get(tenant.tenantId) ?? null })), mrr: billing.totals };
  });
}
