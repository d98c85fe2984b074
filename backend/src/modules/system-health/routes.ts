import { actorFrom } from '../../http/request-context.js';
import { defineRoute, type RouteSpec } from '../../http/route-registry.js';
import { emptyBody, emptyQuery } from '../../http/schemas.js';
import { discardDeadLetter, retryDeadLetter, type DeadLetterDeps } from './manage-dead-letter.js';
import { readSystemHealth, type SystemHealthDeps } from './read-system-health.js';
import { deadLetterOutcomeView, deadLetterParams, systemHealthView } from './schemas.js';

export function systemHealthRoutes(deps: SystemHealthDeps & DeadLetterDeps): RouteSpec[] {
  const common = { tag: 'agency', scope: 'agency', params: deadLetterParams, query: emptyQuery, body: emptyBody, response: deadLetterOutcomeView } as const;
  return [
    defineRoute({
      method: 'get', path: '/api/v1/agency/system-health', tag: 'agency', scope: 'agency',
      summary: 'System health: services, queues, dead letters, WhatsApp re-scans, webhook and n8n failures, disk, backup, version, open alerts',
      access: { permission: 'agency.system.read' },
      query: emptyQuery, response: systemHealthView,
      handler: async ({ req }) => readSystemHealth(deps, { agencyId: actorFrom(req).principal.agencyId }),
    }),
    defineRoute({
      ...common, method: 'post', path: '/api/v1/agency/system-health/dead-letters/:kind/:id/retry',
      summary: 'Put a dead letter back in its queue with fresh attempts (audited; repeating it changes nothing)',
      access: { permission: 'agency.system.manage' },
      handler: async ({ req, params }) => retryDeadLetter(deps, { actor: actorFrom(req), ...params }),
    }),
    defineRoute({
      ...common, method: 'post', path: '/api/v1/agency/system-health/dead-letters/:kind/:id/discard',
      summary: 'Give up on a dead letter for good (audited; repeating it changes nothing)',
      access: { permission: 'agency.system.manage' },
      handler: async ({ req, params }) => discardDeadLetter(deps, { actor: actorFrom(req), ...params }),
    }),
  ];
}
