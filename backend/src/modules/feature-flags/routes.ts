import type { ScopedDeps } from '../../db/scoped-deps.js';
import { actorFrom } from '../../http/request-context.js';
import { defineRoute, type RouteSpec } from '../../http/route-registry.js';
import { emptyQuery } from '../../http/schemas.js';
import { evaluateFlags } from './evaluate-flags.js';
import { FLAGS } from './flag-registry.js';
import { featuresView, flagAdminView, flagKeyParams, overrideResultView, setOverrideBody } from './schemas.js';
import { listFlagOverrides, setFlagOverride } from './set-flag-override.js';

export function featureFlagRoutes(deps: ScopedDeps): RouteSpec[] {
  return [
    defineRoute({
      method: 'get', path: '/api/v1/features', tag: 'features', scope: 'any',
      summary: 'Feature flags evaluated for the caller',
      access: { authenticated: true },
      query: emptyQuery, response: featuresView,
      handler: async ({ req }) => ({ flags: await evaluateFlags(deps, actorFrom(req).principal) }),
    }),
    defineRoute({
      method: 'get', path: '/api/v1/agency/feature-flags', tag: 'agency', scope: 'agency',
      summary: 'The flag registry and every override',
      access: { permission: 'agency.feature_flags.manage' },
      query: emptyQuery, response: flagAdminView,
      handler: async ({ req }) => ({
        flags: FLAGS,
        overrides: await listFlagOverrides(deps, { agencyId: actorFrom(req).principal.agencyId }),
      }),
    }),
    defineRoute({
      method: 'put', path: '/api/v1/agency/feature-flags/:flagKey/override', tag: 'agency', scope: 'agency',
      summary: 'Set or clear a flag override for the installation, a tenant or a user (audited)',
      access: { permission: 'agency.feature_flags.manage' },
      params: flagKeyParams, query: emptyQuery, body: setOverrideBody, response: overrideResultView,
      handler: async ({ req, params, body }) => ({
        override: await setFlagOverride(deps, { actor: actorFrom(req), flagKey: params.flagKey, scope: body.scope, enabled: body.enabled }),
      }),
    }),
  ];
}
