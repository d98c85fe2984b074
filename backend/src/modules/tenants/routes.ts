import type { ScopedDeps } from '../../db/scoped-deps.js';
import { actorFrom } from '../../http/request-context.js';
import { defineRoute, type RouteSpec } from '../../http/route-registry.js';
import { emptyBody, emptyQuery } from '../../http/schemas.js';
import { reactivateTenant, suspendTenant } from './change-tenant-status.js';
import { createTenant } from './create-tenant.js';
import { getTenant, listTenants } from './get-tenant.js';
import { createTenantBody, listTenantsQuery, suspendTenantBody, tenantIdParams, tenantListView, tenantView } from './schemas.js';

export function tenantRoutes(deps: ScopedDeps): RouteSpec[] {
  return [
    defineRoute({
      method: 'post', path: '/api/v1/agency/tenants', tag: 'agency', scope: 'agency', status: 201,
      summary: 'Create a tenant (client business)',
      access: { permission: 'agency.tenants.manage' },
      body: createTenantBody, response: tenantView,
      handler: ({ req, body }) => createTenant(deps, { actor: actorFrom(req), ...body }),
    }),
    defineRoute({
      method: 'get', path: '/api/v1/agency/tenants', tag: 'agency', scope: 'agency',
      summary: "List the agency's tenants",
      access: { permission: 'agency.tenants.read' },
      query: listTenantsQuery, response: tenantListView,
      handler: async ({ req, query }) => ({ tenants: await listTenants(deps, { agencyId: actorFrom(req).principal.agencyId, ...query }) }),
    }),
    defineRoute({
      method: 'get', path: '/api/v1/agency/tenants/:tenantId', tag: 'agency', scope: 'agency',
      summary: 'Get one tenant of the agency',
      access: { permission: 'agency.tenants.read' },
      params: tenantIdParams, query: emptyQuery, response: tenantView,
      handler: ({ req, params }) => getTenant(deps, { agencyId: actorFrom(req).principal.agencyId, tenantId: params.tenantId }),
    }),
    defineRoute({
      method: 'post', path: '/api/v1/agency/tenants/:tenantId/suspend', tag: 'agency', scope: 'agency',
      summary: 'Suspend a tenant: its users cannot sign in and nothing is sent on its behalf',
      access: { permission: 'agency.tenants.manage' },
      params: tenantIdParams, body: suspendTenantBody, response: tenantView,
      handler: ({ req, params, body }) => suspendTenant(deps, { actor: actorFrom(req), tenantId: params.tenantId, reason: body.reason }),
    }),
    defineRoute({
      method: 'post', path: '/api/v1/agency/tenants/:tenantId/reactivate', tag: 'agency', scope: 'agency',
      summary: 'Reactivate a suspended tenant',
      access: { permission: 'agency.tenants.manage' },
      params: tenantIdParams, body: emptyBody, response: tenantView,
      handler: ({ req, params }) => reactivateTenant(deps, { actor: actorFrom(req), tenantId: params.tenantId }),
    }),
    defineRoute({
      method: 'get', path: '/api/v1/tenant', tag: 'tenant', scope: 'tenant',
      summary: "The caller's own tenant",
      access: { permission: 'tenant.read' },
      query: emptyQuery, response: tenantView,
      handler: ({ req }) => {
        const { principal } = actorFrom(req);
        return getTenant(deps, { agencyId: principal.agencyId, tenantId: principal.tenantId!, scopeTenantId: principal.tenantId });
      },
    }),
  ];
}
