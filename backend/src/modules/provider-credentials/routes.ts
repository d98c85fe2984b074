import { actorFrom } from '../../http/request-context.js';
import { defineRoute, type RouteSpec } from '../../http/route-registry.js';
import { emptyQuery } from '../../http/schemas.js';
import type { CredentialDeps } from './load-credentials.js';
import { deleteTwilioCredentials, getTwilioCredentials, saveTwilioCredentials } from './save-twilio-credentials.js';
import { putTwilioCredentialsBody, twilioCredentialsView } from './schemas.js';

export function providerCredentialRoutes(deps: CredentialDeps): RouteSpec[] {
  return [
    defineRoute({
      method: 'put', path: '/api/v1/tenant/providers/twilio', tag: 'providers', scope: 'tenant',
      summary: "Connect or replace the tenant's Twilio account (SMS and voice); the auth token is stored encrypted and never returned",
      access: { permission: 'tenant.settings.manage' },
      body: putTwilioCredentialsBody, response: twilioCredentialsView,
      handler: ({ req, body }) => saveTwilioCredentials(deps, { actor: actorFrom(req), ...body }),
    }),
    defineRoute({
      method: 'get', path: '/api/v1/tenant/providers/twilio', tag: 'providers', scope: 'tenant',
      summary: 'The connected Twilio account: numbers and the last 4 of the account SID only',
      access: { permission: 'tenant.settings.manage' },
      query: emptyQuery, response: twilioCredentialsView,
      handler: ({ req }) => getTwilioCredentials(deps, { actor: actorFrom(req) }),
    }),
    defineRoute({
      method: 'delete', path: '/api/v1/tenant/providers/twilio', tag: 'providers', scope: 'tenant',
      summary: 'Disconnect the Twilio account (its numbers stop routing webhooks to this tenant)',
      access: { permission: 'tenant.settings.manage' },
      handler: async ({ req }) => {
        await deleteTwilioCredentials(deps, { actor: actorFrom(req) });
      },
    }),
  ];
}
