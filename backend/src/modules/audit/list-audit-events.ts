import type { ScopedDeps } from '../../db/scoped-deps.js';
import type { Actor } from '../../http/request-context.js';
import { findAuditEvents, type AuditFilter, type StoredAuditEvent } from './audit-repository.js';

export type AuditQuery = Omit<AuditFilter, 'agencyId'>;

/**
 * Agency level: every event of the agency (optionally one tenant's). Tenant level: only the caller's
 * tenant, whatever the filter says.
 */
export function listAuditEvents(
  deps: ScopedDeps,
  input: { actor: Actor; level: 'agency' | 'tenant'; filter: AuditQuery },
): Promise<StoredAuditEvent[]> {
  const { agencyId, tenantId } = input.actor.principal;
  const scopeTenantId = input.level === 'tenant' ? tenantId : undefined;
  const filter: AuditFilter = { ...input.filter, agencyId, tenantId: scopeTenantId ?? input.filter.tenantId };
  return deps.runInScope({ agencyId, tenantId: scopeTenantId }, (tx) => findAuditEvents(tx, filter));
}
