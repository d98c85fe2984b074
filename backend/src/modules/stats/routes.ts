import type { ScopedDeps } from '../../db/scoped-deps.js';
import { actorFrom } from '../../http/request-context.js';
import { defineRoute, type RouteSpec } from '../../http/route-registry.js';
import { emptyQuery } from '../../http/schemas.js';
import { getOverview, overviewView } from './overview.js';

export function statsRoutes(deps: ScopedDeps): RouteSpec[] {
  return [
    defineRoute({
      method: 'get', path: '/api/v1/stats/overview', tag: 'tenant', scope: 'tenant',
      summary: "Today's and this week's missed calls, follow-ups by channel, replies and opt-outs (the tenant's calendar)",
      access: { permission: 'tenant.read' },
      query: emptyQuery, response: overviewView,
      handler: ({ req }) => getOverview(deps, { actor: actorFrom(req) }),
    }),
  ];
}
