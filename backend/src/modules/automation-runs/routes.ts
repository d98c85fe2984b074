import type { ScopedDeps } from '../../db/scoped-deps.js';
import { actorFrom } from '../../http/request-context.js';
import { defineRoute, type RouteSpec } from '../../http/route-registry.js';
import { listAutomationFailures } from './list-automation-failures.js';
import { recordAutomationRun } from './record-automation-run.js';
import { reportAutomationFailure } from './report-automation-failure.js';
import { failureListQuery, failureListView, failureReportBody, failureView, runStartBody, runView } from './schemas.js';

// The automation seam is the n8n integration's: the token that manages event subscriptions (n8n's) records
// runs and reports failures; people read the failures with the tenant's messages.
export function automationRunRoutes(deps: ScopedDeps): RouteSpec[] {
  return [
    defineRoute({
      method: 'post', path: '/api/v1/automation-runs', tag: 'automations', scope: 'tenant', status: 201,
      summary: 'An automation execution (n8n) records which call, contact or message it works on, so its failure can be shown there',
      access: { permission: 'tenant.event_subscriptions.manage' },
      body: runStartBody, response: runView,
      handler: async ({ req, body }) => {
        const { tenantId: _t, ...run } = await recordAutomationRun(deps, { actor: actorFrom(req), run: body });
        return run;
      },
    }),
    defineRoute({
      method: 'post', path: '/api/v1/agency/automation-failures', tag: 'automations', scope: 'agency', status: 201,
      summary: "n8n's error workflow reports a failed execution (linked to the tenant and call its run recorded)",
      access: { permission: 'agency.event_subscriptions.manage' },
      body: failureReportBody, response: failureView,
      handler: ({ req, body }) => reportAutomationFailure(deps, { actor: actorFrom(req), report: body }),
    }),
    defineRoute({
      method: 'get', path: '/api/v1/automation-failures', tag: 'automations', scope: 'tenant',
      summary: "The tenant's failed automation executions, newest first",
      access: { permission: 'tenant.messages.read' },
      query: failureListQuery, response: failureListView,
      handler: async ({ req, query }) => {
        const failures = await listAutomationFailures(deps, { actor: actorFrom(req), ...query });
        return { failures: failures.map(({ tenantId: _t, ...rest }) => rest) };
      },
    }),
  ];
}
