import { actorFrom } from '../../http/request-context.js';
import { defineRoute, type RouteSpec } from '../../http/route-registry.js';
import { emptyQuery } from '../../http/schemas.js';
import { sendTestMissedCall, type TestCallDeps } from '../twilio/send-test-missed-call.js';
import { chooseTwilioNumber, connectTwilioAccount, type TwilioConnectDeps } from './connect-twilio-account.js';
import { deleteTwilioCredentials, getTwilioCredentials } from './save-twilio-credentials.js';
import { chooseTwilioNumberBody, putTwilioCredentialsBody, testMissedCallBody, testMissedCallView, twilioCredentialsView } from './schemas.js';

export type TwilioAccountDeps = TwilioConnectDeps & TestCallDeps;

export function providerCredentialRoutes(deps: TwilioAccountDeps): RouteSpec[] {
  return [
    defineRoute({
      method: 'put', path: '/api/v1/tenant/providers/twilio', tag: 'providers', scope: 'tenant',
      summary: "Connect or replace the tenant's Twilio account: the credentials are verified with Twilio first, the account's numbers listed, and the chosen numbers' webhooks configured (the auth token is stored encrypted and never returned)",
      access: { permission: 'tenant.settings.manage' },
      body: putTwilioCredentialsBody, response: twilioCredentialsView,
      handler: ({ req, body }) => connectTwilioAccount(deps, { actor: actorFrom(req), ...body }),
    }),
    defineRoute({
      method: 'put', path: '/api/v1/tenant/providers/twilio/number', tag: 'providers', scope: 'tenant',
      summary: "Use one of the connected account's numbers: sets its SMS and call-status webhooks at Twilio (or says which URLs to paste) and routes them to this tenant",
      access: { permission: 'tenant.settings.manage' },
      body: chooseTwilioNumberBody, response: twilioCredentialsView,
      handler: ({ req, body }) => chooseTwilioNumber(deps, { actor: actorFrom(req), ...body }),
    }),
    defineRoute({
      method: 'post', path: '/api/v1/tenant/providers/twilio/test-call', tag: 'providers', scope: 'tenant',
      summary: 'Send a test missed call: replays a signed no-answer call-status webhook for the tenant number through our webhook endpoint (flagged as a test; the caller is fictional unless you give your own number)',
      access: { permission: 'tenant.settings.manage' },
      body: testMissedCallBody, response: testMissedCallView,
      handler: ({ req, body }) => sendTestMissedCall(deps, { actor: actorFrom(req), ...body }),
    }),
    defineRoute({
      method: 'get', path: '/api/v1/tenant/providers/twilio', tag: 'providers', scope: 'tenant',
      summary: 'The connected Twilio account: numbers, webhooks and the last 4 of the account SID only',
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
