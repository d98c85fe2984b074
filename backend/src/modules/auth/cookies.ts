import type { CookieOptions, Request, Response } from 'express';

export const SESSION_COOKIE = 'sb_session';
export const CSRF_COOKIE = 'sb_csrf';
export const OAUTH_STATE_COOKIE = 'sb_oauth_state';

export type CookiePolicy = { secure: boolean };

/** Reads one cookie from the Cookie header (no cookie-parser: we need three names, unsigned). */
export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index < 0 || part.slice(0, index).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(index + 1).trim()) || undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function options(policy: CookiePolicy, extra: CookieOptions = {}): CookieOptions {
  return { httpOnly: true, secure: policy.secure, sameSite: 'lax', path: '/', ...extra };
}

// A browser-session cookie: the server decides expiry (idle timeout in Redis).
export function setSessionCookie(res: Response, policy: CookiePolicy, id: string): void {
  res.cookie(SESSION_COOKIE, id, options(policy));
}

export function clearSessionCookie(res: Response, policy: CookiePolicy): void {
  res.clearCookie(SESSION_COOKIE, options(policy));
}

// Readable by the page's script on purpose: it is the "double submit" half the client echoes back.
export function setCsrfCookie(res: Response, policy: CookiePolicy, token: string): void {
  res.cookie(CSRF_COOKIE, token, options(policy, { httpOnly: false }));
}

export function setOAuthStateCookie(res: Response, policy: CookiePolicy, state: string): void {
  res.cookie(OAUTH_STATE_COOKIE, state, options(policy, { maxAge: 10 * 60 * 1000, path: '/api/v1/auth/google' }));
}

export function clearOAuthStateCookie(res: Response, policy: CookiePolicy): void {
  res.clearCookie(OAUTH_STATE_COOKIE, options(policy, { path: '/api/v1/auth/google' }));
}

export function hasBearerToken(req: Request): boolean {
  return /^bearer\s/i.test(req.headers.authorization ?? '');
}
