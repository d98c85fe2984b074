import type { ScopedDeps } from '../../db/scoped-deps.js';
import { actorFrom } from '../../http/request-context.js';
import { defineRoute, type RouteSpec } from '../../http/route-registry.js';
import { BILLING_ACCESS } from '../billing-account/routes.js';
import { listTenantHealth } from './list-tenant-health.js';
import { tenantHealthListView, tenantHealthQuery } from './schemas.js';

export function agencyOverviewRoutes(deps: ScopedDeps): RouteSpec[] {
  return [
    defineRoute({
      method: 'get', path: '/api/v1/agency/tenants/health', tag: 'agency', scope: 'agency',
      summary: "Each tenant's health: connected channels, messages and failed sends today; for billing managers also plan, status, MRR and past-due flag, and the total MRR",
      access: { permission: 'agency.tenants.read' },
      query: tenantHealthQuery, response: tenantHealthListView,
      handler: async ({ req, query }) => {
        const { principal } = actorFrom(req);
        // Revenue is for those who run the agency's billing (the plans routes' permission), not every operator.
        return listTenantHealth(deps, { agencyId: principal.agencyId, ...query, withBilling: principal.permissions.has(BILLING_ACCESS.permission) });
      },
    }),
  ];
}
