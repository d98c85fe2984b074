import type { RequestHandler } from 'express';
import { addToLogContext, principalLogFields } from '../../log-context.js';
import type { AuthDeps } from './auth-deps.js';
import { clearSessionCookie, hasBearerToken, readCookie, SESSION_COOKIE, type CookiePolicy } from './cookies.js';
import { loadSessionPrincipal } from './load-session-principal.js';

/**
 * Resolves the sb_session cookie into req.principal. Requests with a bearer token are left to the
 * service-token middleware; requests without a valid session simply stay anonymous (routes decide).
 */
export function authenticateSession(deps: Pick<AuthDeps, 'runInScope' | 'sessions'>, cookies: CookiePolicy): RequestHandler {
  return async (req, res, next) => {
    if (req.principal || hasBearerToken(req)) return next();
    const sessionId = readCookie(req, SESSION_COOKIE);
    if (!sessionId) return next();
    const principal = await loadSessionPrincipal(deps, sessionId);
    if (principal) {
      req.principal = principal;
      addToLogContext(principalLogFields(principal));
    } else clearSessionCookie(res, cookies);
    next();
  };
}
