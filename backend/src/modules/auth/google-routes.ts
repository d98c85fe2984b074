import type { Request, Response } from 'express';
import { AppError } from '../../http/errors.js';
import { defineRoute, type RouteSpec } from '../../http/route-registry.js';
import { clearOAuthStateCookie, readCookie, SESSION_COOKIE, setSessionCookie } from './cookies.js';
import { linkGoogleIdentity, type GoogleProfile } from './link-google-identity.js';
import { requestMeta, runStrategy } from './passport-setup.js';
import { recordLoginFailure } from './record-login-failure.js';
import type { AuthHttp } from './routes.js';
import { emptyObject, googleCallbackQuery } from './schemas.js';
import { startSession } from './start-session.js';

const TAG = 'auth';
const PUBLIC = { public: true } as const;

/**
 * Google sign-in: /api/v1/auth/google redirects to Google; the callback signs in the existing user the
 * Google account is linked to (or links it by verified e-mail), then redirects to the portal. Every
 * refusal redirects to the portal's sign-in page with ?error=<code> rather than showing JSON.
 */
export function googleRouteSpecs(http: AuthHttp): RouteSpec[] {
  const assertEnabled = () => {
    if (!http.googleEnabled) throw new AppError('NOT_FOUND', 'Google sign-in is not configured');
  };
  return [
    defineRoute({
      method: 'get', path: '/api/v1/auth/google', tag: TAG, scope: 'any', access: PUBLIC, status: 302,
      summary: 'Start "Sign in with Google" (404 when not configured)',
      query: emptyObject,
      handler: ({ req, res }) => {
        assertEnabled();
        return redirectToGoogle(http, req, res);
      },
    }),
    defineRoute({
      method: 'get', path: '/api/v1/auth/google/callback', tag: TAG, scope: 'any', access: PUBLIC, status: 302,
      summary: "Google's return: redirects to the portal, signed in or with ?error=<code>",
      // Google adds parameters of its own (scope, authuser, prompt, hd...), so this query is not strict.
      query: googleCallbackQuery,
      handler: ({ req, res, query }) => {
        assertEnabled();
        return finishGoogleSignIn(http, req, res, query);
      },
    }),
  ];
}

/** Passport writes the redirect itself (or calls next with an error); settles once the response is done. */
function redirectToGoogle(http: AuthHttp, req: Request, res: Response): Promise<undefined> {
  return new Promise((resolve, reject) => {
    res.once('finish', () => resolve(undefined));
    res.once('close', () => resolve(undefined));
    http.passport.authenticate('google', { session: false })(req, res, (err?: unknown) => (err ? reject(err) : resolve(undefined)));
  });
}

async function finishGoogleSignIn(
  http: AuthHttp,
  req: Request,
  res: Response,
  query: { code?: string; state?: string; error?: string },
): Promise<undefined> {
  const { deps, cookies } = http;
  const refuse = (code: string): undefined => {
    res.redirect(`${deps.portalUrl}/sign-in?error=${encodeURIComponent(code)}`);
    return undefined;
  };
  clearOAuthStateCookie(res, cookies);
  if (query.error) return refuse('google_cancelled');
  if (!query.code || !query.state) return refuse('google_failed');
  let outcome;
  try {
    outcome = await runStrategy(http.passport, 'google', req, res);
  } catch (err) {
    deps.logger.warn({ err }, 'google sign-in failed talking to Google');
    return refuse('google_failed');
  }
  if (!outcome.user) {
    const message = (outcome.info as { message?: string } | undefined)?.message;
    return refuse(message === 'google_state_invalid' ? 'google_state_invalid' : 'google_failed');
  }
  const meta = requestMeta(req);
  const link = await linkGoogleIdentity(deps, outcome.user as GoogleProfile);
  if ('refused' in link) {
    await recordLoginFailure(deps, link.user, link.refused, meta);
    return refuse(link.refused);
  }
  try {
    const signedIn = await startSession(deps, link.user, { method: 'google', previousSessionId: readCookie(req, SESSION_COOKIE), meta });
    setSessionCookie(res, cookies, signedIn.sessionId);
    res.redirect(`${deps.portalUrl}/`);
  } catch (err) {
    if (err instanceof AppError && err.code === 'FORBIDDEN') return refuse('account_suspended');
    throw err;
  }
  return undefined;
}
