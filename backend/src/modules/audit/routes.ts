import type { ScopedDeps } from '../../db/scoped-deps.js';
import { actorFrom } from '../../http/request-context.js';
import { defineRoute, type RouteSpec } from '../../http/route-registry.js';
import { emptyQuery } from '../../http/schemas.js';
import { assertEntitledBefore } from '../entitlements/check-entitlement.js';
import { auditEventsToCsv } from './audit-csv.js';
import { listAuditEvents } from './list-audit-events.js';
import {
  agencyAuditExportQuery,
  agencyAuditQuery,
  auditListView,
  tenantAuditExportQuery,
  tenantAuditQuery,
  verificationView,
} from './schemas.js';
import { verifyAuditChain } from './verify-audit-chain.js';

function listRoutes(deps: ScopedDeps, level: 'agency' | 'tenant'): RouteSpec[] {
  const prefix = `/api/v1/${level}/audit`;
  const access = { permission: level === 'agency' ? 'agency.audit.read' : 'tenant.audit.read' } as const;
  return [
    defineRoute({
      method: 'get', path: `${prefix}/events`, tag: level, scope: level, access,
      summary: level === 'agency' ? 'Audit events of the agency and its tenants' : "Audit events of the caller's tenant",
      query: level === 'agency' ? agencyAuditQuery : tenantAuditQuery, response: auditListView,
      handler: async ({ req, query }) => ({ events: await listAuditEvents(deps, { actor: actorFrom(req), level, filter: query }) }),
    }),
    defineRoute({
      method: 'get', path: `${prefix}/export`, tag: level, scope: level, access,
      summary: 'Export audit events as CSV or JSON (up to 10,000 rows per request)',
      query: level === 'agency' ? agencyAuditExportQuery : tenantAuditExportQuery, response: auditListView,
      handler: async ({ req, res, query }) => {
        const { format, ...filter } = query;
        const actor = actorFrom(req);
        // A business's export is a plan feature (audit.export); the agency's own export is not sold.
        if (level === 'tenant') {
          await assertEntitledBefore(deps, { agencyId: actor.principal.agencyId, tenantId: actor.principal.tenantId! }, { kind: 'feature.use', feature: 'audit.export' });
        }
        const events = await listAuditEvents(deps, { actor, level, filter: { ...filter, offset: 0 } });
        const stamp = new Date().toISOString().replace(/[:.]/g, '-');
        res.setHeader('content-disposition', `attachment; filename="audit-${stamp}.${format}"`);
        if (format === 'json') return { events };
        res.type('text/csv').send(auditEventsToCsv(events));
        return undefined;
      },
    }),
  ];
}

export function auditRoutes(deps: ScopedDeps): RouteSpec[] {
  return [
    ...listRoutes(deps, 'agency'),
    ...listRoutes(deps, 'tenant'),
    defineRoute({
      method: 'get', path: '/api/v1/agency/audit/verify', tag: 'agency', scope: 'agency',
      summary: 'Verify the hash chains of the audit trail; reports the first broken row',
      access: { permission: 'agency.audit.verify' },
      query: emptyQuery, response: verificationView,
      handler: ({ req }) => verifyAuditChain(deps, { agencyId: actorFrom(req).principal.agencyId }),
    }),
  ];
}
