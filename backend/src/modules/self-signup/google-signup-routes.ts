import type { Response } from 'express';
import { AppError } from '../../http/errors.js';
import { defineRoute, type RouteSpec } from '../../http/route-registry.js';
import { emptyQuery } from '../../http/schemas.js';
import { readCookie, SESSION_COOKIE, setSessionCookie } from '../auth/cookies.js';
import { redirectToGoogle, takeGoogleHandOff } from '../auth/google-routes.js';
import { requestMeta } from '../auth/passport-setup.js';
import { completeGoogleSignup } from './complete-google-signup.js';
import { googleSignupQuery, type GoogleSignupIntent } from './schemas.js';
import type { SelfSignupDeps } from './self-signup-deps.js';
import { startGoogleSignup } from './start-google-signup.js';

const TAG = 'self-signup';
const PUBLIC = { public: true } as const;
const START = '/api/v1/signup/google';
const COMPLETE = '/api/v1/signup/google/complete';

/**
 * "Continue with Google" on /signup. The start route checks the form and goes to Google with the intent in the
 * server-side OAuth state; Google returns to the usual /api/v1/auth/google/callback, which hands the verified
 * profile and the intent on to the complete route (a signed cookie of five minutes). Both answer with
 * redirects: to Google, to Checkout, or to the portal's /signup/google?result=<code> page saying what happened.
 */
export function googleSignupRoutes(deps: SelfSignupDeps): RouteSpec[] {
  const google = () => {
    if (!deps.identity?.googleEnabled) throw new AppError('NOT_FOUND', 'Google sign-in is not configured');
    return deps.identity;
  };
  return [
    defineRoute({
      method: 'get', path: START, tag: TAG, scope: 'any', access: PUBLIC, status: 302,
      summary: 'Sign up with Google: checks the form (plan, interval, business and your name) and redirects to Google (404 when not configured)',
      query: googleSignupQuery,
      handler: async ({ req, res, query }) => {
        const identity = google();
        const intent = await startGoogleSignup(deps, { query, meta: requestMeta(req) }).catch((err: unknown) => resultPage(deps, res, err, query.agencyId));
        if (!intent) return undefined;
        return redirectToGoogle(identity, req, res, { handOff: { path: COMPLETE, data: intent } });
      },
    }),
    defineRoute({
      method: 'get', path: COMPLETE, tag: TAG, scope: 'any', access: PUBLIC, status: 302,
      summary: "After Google: creates the business and its owner (or signs in who already has an account) and redirects to Checkout or the portal",
      query: emptyQuery,
      handler: async ({ req, res }) => {
        const handedOff = takeGoogleHandOff(req, res, google(), COMPLETE);
        if (!handedOff) return resultPage(deps, res, 'google_state_invalid');
        const intent = handedOff.data as GoogleSignupIntent;
        const done = await completeGoogleSignup(deps, {
          profile: handedOff.profile, intent, previousSessionId: readCookie(req, SESSION_COOKIE), meta: requestMeta(req),
        }).catch((err: unknown) => resultPage(deps, res, err, intent.agencyId));
        if (!done) return undefined;
        if (done.outcome === 'refused') return resultPage(deps, res, done.reason, intent.agencyId);
        setSessionCookie(res, deps.cookies, done.signedIn.sessionId);
        if (done.outcome === 'account_exists') return resultPage(deps, res, 'account_exists');
        res.redirect(done.checkoutUrl ?? `${deps.portalUrl}/billing?checkout=later`);
        return undefined;
      },
    }),
  ];
}

/** Redirects to the portal page that explains a result (a code, or a refusal turned into one); other errors go on. */
function resultPage(deps: SelfSignupDeps, res: Response, result: unknown, agencyId?: string): undefined {
  const code = typeof result === 'string' ? result : resultCode(result);
  const agency = agencyId ? `&agency=${encodeURIComponent(agencyId)}` : '';
  res.redirect(`${deps.portalUrl}/signup/google?result=${encodeURIComponent(code)}${agency}`);
  return undefined;
}

function resultCode(err: unknown): string {
  if (!(err instanceof AppError)) throw err;
  const reason = (err.details as { reason?: unknown } | undefined)?.reason;
  switch (err.code) {
    case 'NOT_FOUND': return 'signup_unavailable';
    case 'CONFLICT': return reason === 'account_exists' ? 'account_exists' : 'signup_unavailable';
    case 'VALIDATION_FAILED': return 'plan_not_offered';
    case 'TOO_MANY_REQUESTS': return 'throttled';
    case 'FORBIDDEN': return 'account_suspended';
    default: throw err;
  }
}
