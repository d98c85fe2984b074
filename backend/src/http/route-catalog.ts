import { apiRoutes, type ApiRouteDeps } from './api-routes.js';
import type { RouteSpec } from './route-registry.js';

/**
 * The declared routes without database, Redis or config: for documentation (docs/permissions.md).
 * Declaring routes only passes dependencies along; every dependency here is inert, and running a
 * handler (or using a dependency) throws.
 */
export function routeCatalog(): RouteSpec[] {
  return apiRoutes(inert('deps') as ApiRouteDeps);
}

function inert(path: string): unknown {
  return new Proxy(function inertDependency() {}, {
    // 'then' stays undefined so an inert value is never mistaken for a promise.
    get: (_target, key) => (key === 'then' ? undefined : inert(`${path}.${String(key)}`)),
    apply: () => {
      throw new Error(`${path} is not available: the route catalog is for documentation only`);
    },
  });
}
