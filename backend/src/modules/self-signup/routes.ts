import { actorFrom } from '../../http/request-context.js';
import { defineRoute, type RouteSpec } from '../../http/route-registry.js';
import { emptyQuery } from '../../http/schemas.js';
import { readCookie, SESSION_COOKIE, setSessionCookie } from '../auth/cookies.js';
import { requestMeta } from '../auth/passport-setup.js';
import { BILLING_ACCESS } from '../billing-account/routes.js';
import { completeSignup } from './complete-signup.js';
import { getSignupOffer } from './get-signup-offer.js';
import { getSignupSettings } from './get-signup-settings.js';
import { googleSignupRoutes } from './google-signup-routes.js';
import { requestSignup } from './request-signup.js';
import {
  signupCompletedView, signupOfferQuery, signupOfferView, signupRequestBody, signupRequestedView, signupSettingsBody, signupSettingsView, signupVerifyBody,
} from './schemas.js';
import type { SelfSignupDeps } from './self-signup-deps.js';
import { updateSignupSettings } from './update-signup-settings.js';

const TAG = 'self-signup';
const PUBLIC = { public: true } as const;
const SETTINGS = '/api/v1/agency/billing/self-signup';

/** The agency owner's Self sign-up settings, and the public sign-up a business goes through (request, verify, pay). */
export function selfSignupRoutes(deps: SelfSignupDeps): RouteSpec[] {
  const settings = { tag: TAG, scope: 'agency', access: BILLING_ACCESS, path: SETTINGS } as const;
  return [
    defineRoute({ ...settings, method: 'get', summary: 'Self sign-up: on or off, the offered plans, the link to share and what keeps it from working',
      query: emptyQuery, response: signupSettingsView, handler: ({ req }) => getSignupSettings(deps, { actor: actorFrom(req) }) }),
    defineRoute({ ...settings, method: 'put', summary: 'Turn self sign-up on or off and choose the offered plans (active, synced to Stripe); audited',
      body: signupSettingsBody, response: signupSettingsView, handler: ({ req, body }) => updateSignupSettings(deps, { actor: actorFrom(req), body }) }),
    defineRoute({
      method: 'get', path: '/api/v1/signup', tag: TAG, scope: 'any', access: PUBLIC,
      summary: 'The public sign-up page: offered plans (price, trial, what is included); 404 unless the agency turned sign-up on',
      query: signupOfferQuery, response: signupOfferView, handler: ({ query }) => getSignupOffer(deps, { agencyId: query.agency }),
    }),
    defineRoute({
      method: 'post', path: '/api/v1/signup/requests', tag: TAG, scope: 'any', access: PUBLIC, status: 202,
      summary: 'Ask to sign up: mails a 24-hour link to confirm the address (same answer for any address; limited per client address and e-mail)',
      body: signupRequestBody, response: signupRequestedView, handler: ({ req, body }) => requestSignup(deps, { body, meta: requestMeta(req) }),
    }),
    defineRoute({
      method: 'post', path: '/api/v1/signup/verify', tag: TAG, scope: 'any', access: PUBLIC, status: 201,
      summary: 'Open the mailed link: creates the business, its owner and membership, signs the owner in (sb_session) and answers the Stripe Checkout URL',
      body: signupVerifyBody, response: signupCompletedView,
      handler: async ({ req, res, body }) => {
        const { tenantId, checkoutUrl, signedIn } = await completeSignup(deps, {
          agencyId: body.agencyId, token: body.token, previousSessionId: readCookie(req, SESSION_COOKIE), meta: requestMeta(req),
        });
        setSessionCookie(res, deps.cookies, signedIn.sessionId);
        return { tenantId, checkoutUrl };
      },
    }),
    ...googleSignupRoutes(deps),
  ];
}
