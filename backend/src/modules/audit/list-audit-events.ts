import type { ScopedDeps } from '../../db/scoped-deps.js';
import type { Actor } from '../../http/request-context.js';
import { findAuditEvents, type AuditFilter } from './audit-repository.js';
import { nameAuditEvents, type NamedAuditEvent } from './name-audit-events.js';

export type AuditQuery = Omit<AuditFilter, 'agencyId'>;

/**
 * Agency level: every event of the agency (optionally one tenant's). Tenant level: only the caller's
 * tenant, whatever the filter says. Each event carries the names of its actor and target where known.
 */
export function listAuditEvents(
  deps: ScopedDeps,
  input: { actor: Actor; level: 'agency' | 'tenant'; filter: AuditQuery },
): Promise<NamedAuditEvent[]> {
  const { agencyId, tenantId } = input.actor.principal;
  const scopeTenantId = input.level === 'tenant' ? tenantId : undefined;
  const filter: AuditFilter = { ...input.filter, agencyId, tenantId: scopeTenantId ?? input.filter.tenantId };
  return deps.runInScope({ agencyId, tenantId: scopeTenantId }, async (tx) => nameAuditEvents(tx, await findAuditEvents(tx, filter)));
}
