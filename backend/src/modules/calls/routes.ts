import { actorFrom } from '../../http/request-context.js';
import { defineRoute, type RouteSpec } from '../../http/route-registry.js';
import { emptyQuery } from '../../http/schemas.js';
import type { CallLog } from './call-repository.js';
import { getCall, listCalls } from './list-calls.js';
import { placeCall, type PlaceCallDeps } from './place-call.js';
import { callIdParams, callListView, callView, listCallsQuery, placeCallBody } from './schemas.js';

function view(call: CallLog) {
  const { agencyId: _a, tenantId: _t, placedBy: _p, updatedAt: _u, ...rest } = call;
  return rest;
}

export function callRoutes(deps: PlaceCallDeps): RouteSpec[] {
  return [
    defineRoute({
      method: 'get', path: '/api/v1/calls', tag: 'calls', scope: 'tenant',
      summary: "The tenant's call log (inbound and placed calls), newest first",
      access: { permission: 'tenant.messages.read' },
      query: listCallsQuery, response: callListView,
      handler: async ({ req, query }) => ({ calls: (await listCalls(deps, { actor: actorFrom(req), ...query })).map(view) }),
    }),
    defineRoute({
      method: 'get', path: '/api/v1/calls/:callId', tag: 'calls', scope: 'tenant',
      summary: 'One call of the log',
      access: { permission: 'tenant.messages.read' },
      params: callIdParams, query: emptyQuery, response: callView,
      handler: async ({ req, params }) => view(await getCall(deps, { actor: actorFrom(req), callId: params.callId })),
    }),
    defineRoute({
      method: 'post', path: '/api/v1/calls', tag: 'calls', scope: 'tenant', status: 201,
      summary: 'Call a person and speak a message (through the connected Twilio account)',
      access: { permission: 'tenant.messages.send' },
      body: placeCallBody, response: callView,
      handler: async ({ req, body }) => view(await placeCall(deps, { actor: actorFrom(req), ...body })),
    }),
  ];
}
