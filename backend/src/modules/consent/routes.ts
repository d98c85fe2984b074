import type { ScopedDeps } from '../../db/scoped-deps.js';
import { actorFrom } from '../../http/request-context.js';
import { defineRoute, type RouteSpec } from '../../http/route-registry.js';
import type { EventBus } from '../../ports/events.js';
import { contactIdParams } from '../contacts/schemas.js';
import { listConsentHistory } from './list-consent-history.js';
import { recordConsentChange } from './record-consent-change.js';
import { consentHistoryQuery, consentHistoryView, recordConsentBody, recordedConsentView } from './schemas.js';

export function consentRoutes(deps: ScopedDeps & { events: EventBus }): RouteSpec[] {
  return [
    defineRoute({
      method: 'post', path: '/api/v1/contacts/:contactId/consent', tag: 'contacts', scope: 'tenant', status: 201,
      summary: 'Record an opt-in (with its evidence) or an opt-out; audited',
      access: { permission: 'tenant.contacts.write' },
      params: contactIdParams, body: recordConsentBody, response: recordedConsentView,
      handler: ({ req, params, body }) => recordConsentChange(deps, { actor: actorFrom(req), contactId: params.contactId, change: body }),
    }),
    defineRoute({
      method: 'get', path: '/api/v1/contacts/:contactId/consent', tag: 'contacts', scope: 'tenant',
      summary: "A contact's consent per channel and the full history behind it",
      access: { permission: 'tenant.contacts.read' },
      params: contactIdParams, query: consentHistoryQuery, response: consentHistoryView,
      handler: ({ req, params, query }) => listConsentHistory(deps, { actor: actorFrom(req), contactId: params.contactId, ...query }),
    }),
  ];
}
