import type { ScopedDeps } from '../../db/scoped-deps.js';
import { actorFrom } from '../../http/request-context.js';
import { defineRoute, type RouteSpec } from '../../http/route-registry.js';
import { listTenantHealth } from './list-tenant-health.js';
import { tenantHealthListView, tenantHealthQuery } from './schemas.js';

export function agencyOverviewRoutes(deps: ScopedDeps): RouteSpec[] {
  return [
    defineRoute({
      method: 'get', path: '/api/v1/agency/tenants/health', tag: 'agency', scope: 'agency',
      summary: "Each tenant's health: connected channels, messages and failed sends today",
      access: { permission: 'agency.tenants.read' },
      query: tenantHealthQuery, response: tenantHealthListView,
      handler: async ({ req, query }) => ({
        tenants: await listTenantHealth(deps, { agencyId: actorFrom(req).principal.agencyId, ...query }),
      }),
    }),
  ];
}
