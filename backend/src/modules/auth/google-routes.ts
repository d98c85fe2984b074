import { createHmac, timingSafeEqual } from 'node:crypto';
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
 * refusal redirects to the portal's sign-in page with ?error=<code> rather than showing JSON. A start route of
 * another module (self sign-up) may carry a hand-off in the OAuth state: the callback then only proves who
 * Google says this is and passes that on (see handOffToStarter).
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

/**
 * Passport writes the redirect itself (or calls next with an error); settles once the response is done.
 * `carry` (e.g. { handOff }) is kept server-side with the state by RedisOAuthStateStore.
 */
export function redirectToGoogle(http: Pick<AuthHttp, 'passport'>, req: Request, res: Response, carry?: { handOff: GoogleHandOff }): Promise<undefined> {
  return new Promise((resolve, reject) => {
    res.once('finish', () => resolve(undefined));
    res.once('close', () => resolve(undefined));
    // passport's types say string; an object state goes to the state store (passport-oauth2 >= 1.6).
    const options = carry ? { session: false, state: carry as unknown as string } : { session: false };
    http.passport.authenticate('google', options)(req, res, (err?: unknown) => (err ? reject(err) : resolve(undefined)));
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
  const handOff = handOffIn(outcome.info);
  if (handOff) return handOffToStarter(http, res, handOff, outcome.user as GoogleProfile);
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

/**
 * What a start route outside this module puts in the OAuth state: where the callback sends the browser
 * next (an /api/v1 path of ours) and the data it started with. Kept server-side with the state, so it is ours.
 */
export type GoogleHandOff = { path: string; data: unknown };
export type HandedOffGoogle = { profile: GoogleProfile; data: unknown };

export const GOOGLE_HANDOFF_COOKIE = 'sb_google_handoff';
const HANDOFF_TTL_MS = 5 * 60 * 1000;

function handOffIn(info: unknown): GoogleHandOff | undefined {
  const handOff = (info as { state?: { handOff?: GoogleHandOff } } | undefined)?.state?.handOff;
  return handOff && typeof handOff.path === 'string' && handOff.path.startsWith('/api/v1/') ? handOff : undefined;
}

/**
 * The Google profile (as the strategy read it from Google, e-mail verification included) and the carried
 * data go to the starter's path in a signed, five-minute, httpOnly cookie limited to that path: the browser
 * that started is the one that finishes, and nothing in a URL can forge who Google said this is.
 */
function handOffToStarter(http: AuthHttp, res: Response, handOff: GoogleHandOff, profile: GoogleProfile): undefined {
  const body = Buffer.from(JSON.stringify({ profile, data: handOff.data, exp: Date.now() + HANDOFF_TTL_MS })).toString('base64url');
  res.cookie(GOOGLE_HANDOFF_COOKIE, `${body}.${handOffMac(http.secret, body)}`, {
    httpOnly: true, secure: http.cookies.secure, sameSite: 'lax', path: handOff.path, maxAge: HANDOFF_TTL_MS,
  });
  res.redirect(`${http.deps.publicUrl}${handOff.path}`);
  return undefined;
}

/** The starter's side: the handed-off profile and data, once (the cookie is cleared), or undefined if missing, forged or stale. */
export function takeGoogleHandOff(req: Request, res: Response, http: Pick<AuthHttp, 'secret' | 'cookies'>, path: string): HandedOffGoogle | undefined {
  const value = readCookie(req, GOOGLE_HANDOFF_COOKIE);
  res.clearCookie(GOOGLE_HANDOFF_COOKIE, { httpOnly: true, secure: http.cookies.secure, sameSite: 'lax', path });
  const [body, mac] = value?.split('.') ?? [];
  if (!body || !mac) return undefined;
  const expected = Buffer.from(handOffMac(http.secret, body));
  if (expected.length !== mac.length || !timingSafeEqual(expected, Buffer.from(mac))) return undefined;
  const sealed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as HandedOffGoogle & { exp: number };
  return sealed.exp > Date.now() ? { profile: sealed.profile, data: sealed.data } : undefined;
}

function handOffMac(secret: string, body: string): string {
  return createHmac('sha256', secret).update(`google-handoff:${body}`).digest('base64url');
}
