import type { ScopedDeps } from '../db/scoped-deps.js';
import { auditRoutes } from '../modules/audit/routes.js';
import { featureFlagRoutes } from '../modules/feature-flags/routes.js';
import { agencyMembershipRoutes, tenantMembershipRoutes } from '../modules/memberships/routes.js';
import { serviceTokenRoutes } from '../modules/service-tokens/routes.js';
import { tenantRoutes } from '../modules/tenants/routes.js';
import type { RouteSpec } from './route-registry.js';

/** Every declared API route: mounted, documented in /openapi.json and walked by the test matrices. */
export function apiRoutes(deps: ScopedDeps): RouteSpec[] {
  return [
    ...tenantRoutes(deps),
    ...agencyMembershipRoutes(deps),
    ...tenantMembershipRoutes(deps),
    ...serviceTokenRoutes(deps),
    ...auditRoutes(deps),
    ...featureFlagRoutes(deps),
  ];
}
