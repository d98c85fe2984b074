import { z } from 'zod';
import type { ScopedDeps } from '../../db/scoped-deps.js';
import { actorFrom } from '../../http/request-context.js';
import { defineRoute, type RouteSpec } from '../../http/route-registry.js';
import { emptyQuery } from '../../http/schemas.js';
import { getBillingNotice } from './get-billing-notice.js';

const noticeView = z.object({
  notice: z.union([
    z.object({ state: z.literal('past_due'), graceUntil: z.string(), message: z.string() }),
    z.object({ state: z.literal('restricted'), message: z.string() }),
  ]).nullable(),
});

export function entitlementRoutes(deps: ScopedDeps): RouteSpec[] {
  return [
    defineRoute({
      method: 'get', path: '/api/v1/tenant/billing-notice', tag: 'billing', scope: 'tenant',
      summary: 'Whether non-payment affects the business now (past due within its grace, or restricted), for the banner on every page',
      access: { permission: 'tenant.read' },
      query: emptyQuery, response: noticeView,
      handler: ({ req }) => {
        const { principal } = actorFrom(req);
        return getBillingNotice(deps, { agencyId: principal.agencyId, tenantId: principal.tenantId! });
      },
    }),
  ];
}
