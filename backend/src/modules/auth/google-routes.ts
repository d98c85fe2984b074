import { Router } from 'express';
import { AppError } from '../../http/errors.js';
import { validate } from '../../http/validate.js';
import { clearOAuthStateCookie, readCookie, SESSION_COOKIE, setSessionCookie } from './cookies.js';
import { linkGoogleIdentity, type GoogleProfile } from './link-google-identity.js';
import { requestMeta, runStrategy } from './passport-setup.js';
import { recordLoginFailure } from './record-login-failure.js';
import type { AuthHttp } from './routes.js';
import { emptyObject, googleCallbackQuery } from './schemas.js';
import { startSession } from './start-session.js';

/**
 * Google sign-in: /api/v1/auth/google redirects to Google; the callback signs in the existing user the
 * Google account is linked to (or links it by verified e-mail), then redirects to the portal. Every
 * refusal redirects to the portal's sign-in page with ?error=<code> rather than showing JSON.
 */
export function googleRoutes(http: AuthHttp): Router {
  const { deps, cookies } = http;
  const router = Router();
  const portal = (path: string) => `${deps.publicUrl}${path}`;
  const refuse = (code: string) => portal(`/sign-in?error=${encodeURIComponent(code)}`);

  router.get('/api/v1/auth/google', validate({ query: emptyObject }), (req, res, next) => {
    if (!http.googleEnabled) throw new AppError('NOT_FOUND', 'Google sign-in is not configured');
    http.passport.authenticate('google', { session: false })(req, res, next);
  });

  router.get('/api/v1/auth/google/callback', validate({ query: googleCallbackQuery }), async (req, res) => {
    if (!http.googleEnabled) throw new AppError('NOT_FOUND', 'Google sign-in is not configured');
    const query = res.locals.query as { code?: string; state?: string; error?: string };
    clearOAuthStateCookie(res, cookies);
    if (query.error) return res.redirect(refuse('google_cancelled'));
    if (!query.code || !query.state) return res.redirect(refuse('google_failed'));
    let outcome;
    try {
      outcome = await runStrategy(http.passport, 'google', req, res);
    } catch (err) {
      deps.logger.warn({ err }, 'google sign-in failed talking to Google');
      return res.redirect(refuse('google_failed'));
    }
    if (!outcome.user) {
      const message = (outcome.info as { message?: string } | undefined)?.message;
      return res.redirect(refuse(message === 'google_state_invalid' ? 'google_state_invalid' : 'google_failed'));
    }
    const meta = requestMeta(req);
    const link = await linkGoogleIdentity(deps, outcome.user as GoogleProfile);
    if ('refused' in link) {
      await recordLoginFailure(deps, link.user, link.refused, meta);
      return res.redirect(refuse(link.refused));
    }
    try {
      const signedIn = await startSession(deps, link.user, { method: 'google', previousSessionId: readCookie(req, SESSION_COOKIE), meta });
      setSessionCookie(res, cookies, signedIn.sessionId);
      return res.redirect(portal('/'));
    } catch (err) {
      if (err instanceof AppError && err.code === 'FORBIDDEN') return res.redirect(refuse('account_suspended'));
      throw err;
    }
  });
  return router;
}
