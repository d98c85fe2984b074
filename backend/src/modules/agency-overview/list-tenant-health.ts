import type { ScopedDeps } from '../../db/scoped-deps.js';
import { selectTenantHealth, type TenantHealth } from './tenant-health-repository.js';

/** One row per tenant of the caller's agency: which channels are set up and how today's traffic went. */
export function listTenantHealth(
  deps: ScopedDeps,
  input: { agencyId: string; limit: number; offset: number },
): Promise<TenantHealth[]> {
  return deps.runInScope({ agencyId: input.agencyId }, (tx) => selectTenantHealth(tx, input));
}
