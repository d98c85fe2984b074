/**
 * The signed-in person's backend session, kept in the portal's own HttpOnly cookies (sb_session, sb_csrf;
 * see docs/auth.md): signing in fetches a CSRF token, logs in with it and keeps the session the backend
 * set; every later call forwards both (routes/(app)/agency/session-api.server.ts).
 */
import type { Cookies } from '@sveltejs/kit';
import { ApiError } from './api-error.js';
import type { Api } from './api.js';
import { config } from './config.js';

const COOKIES = ['sb_session', 'sb_csrf'] as const;

function cookieOptions(url: URL) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: url.protocol === 'https:' };
}

async function call(path: `/${string}`, init: RequestInit & { requestId: string }): Promise<Response> {
  try {
    return await fetch(`${config.backendUrl}${path}`, {
      ...init, headers: { accept: 'application/json', 'x-request-id': init.requestId, ...init.headers }, signal: AbortSignal.timeout(config.backendTimeoutMs),
    });
  } catch (err) {
    throw new ApiError(503, 'BACKEND_UNREACHABLE', `Could not reach the API: ${(err as Error).message}`, undefined, init.requestId);
  }
}

async function failure(response: Response, requestId: string): Promise<ApiError> {
  const body = (await response.json().catch(() => undefined)) as { error?: { code: string; message: string; details?: unknown } } | undefined;
  const error = body?.error;
  return new ApiError(response.status, error?.code ?? 'BAD_RESPONSE', error?.message ?? `Unexpected ${response.status} answer`, error?.details, requestId);
}

/**
 * Logs in through the request's API client (which vouches for the visitor's address, so the API throttles
 * per visitor) and keeps the session; an ApiError (401 wrong password, 429 throttled, 400 fields) otherwise.
 */
export async function signIn(context: { cookies: Cookies; url: URL; api: Api }, credentials: { email: string; password: string }): Promise<void> {
  const { sessionId, csrfToken } = await context.api.signIn(credentials);
  context.cookies.set('sb_session', sessionId, cookieOptions(context.url));
  context.cookies.set('sb_csrf', csrfToken, cookieOptions(context.url));
}

/** Ends this session (or every session of the person) at the backend and forgets it here. */
export async function signOut(context: { cookies: Cookies; requestId: string }, everywhere = false): Promise<void> {
  const session = context.cookies.get('sb_session');
  const csrf = context.cookies.get('sb_csrf');
  if (session && csrf) {
    // Best effort: an expired session is signed out already.
    await call(everywhere ? '/api/v1/auth/logout-all' : '/api/v1/auth/logout', {
      method: 'POST', requestId: context.requestId, body: '{}',
      headers: { 'content-type': 'application/json', cookie: `sb_session=${encodeURIComponent(session)}; sb_csrf=${encodeURIComponent(csrf)}`, 'x-csrf-token': csrf },
    }).catch(() => undefined);
  }
  for (const name of COOKIES) context.cookies.delete(name, { path: '/' });
}

export type Me = { user: { id: string; email: string; name: string | null }; role: string; agencyId: string; tenantId: string | null; actingAs: { agencyRole: string } | null };

/** The signed-in person (GET /api/v1/auth/me), or undefined when there is no valid session. */
export async function whoAmI(context: { cookies: Cookies; requestId: string }): Promise<Me | undefined> {
  const session = context.cookies.get('sb_session');
  if (!session) return undefined;
  const response = await call('/api/v1/auth/me', { requestId: context.requestId, headers: { cookie: `sb_session=${encodeURIComponent(session)}` } });
  if (response.status === 401) return undefined;
  if (!response.ok) throw await failure(response, context.requestId);
  return (await response.json()) as Me;
}
