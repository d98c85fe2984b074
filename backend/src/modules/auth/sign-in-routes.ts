import { AppError } from '../../http/errors.js';
import { defineRoute, type RouteSpec } from '../../http/route-registry.js';
import { setCsrfCookie, setSessionCookie } from './cookies.js';
import { issueCsrfToken } from './csrf.js';
import { getCurrentUser } from './get-current-user.js';
import { requestMeta, runStrategy } from './passport-setup.js';
import { requestPasswordReset } from './request-password-reset.js';
import { resetPassword } from './reset-password.js';
import type { AuthHttp } from './routes.js';
import { csrfView, currentUserView, emptyObject, loginBody, resetConfirmBody, resetRequestBody, resetRequestedView } from './schemas.js';
import type { SignedIn } from './start-session.js';

const TAG = 'auth';
const PUBLIC = { public: true } as const;

/** Public routes of /api/v1/auth: CSRF token, password sign-in, password reset. */
export function signInRoutes(http: AuthHttp): RouteSpec[] {
  const { deps, cookies } = http;
  return [
    defineRoute({
      method: 'get', path: '/api/v1/auth/csrf', tag: TAG, scope: 'any', access: PUBLIC,
      summary: 'A CSRF token (also set in the sb_csrf cookie): send it as x-csrf-token on every mutation',
      query: emptyObject, response: csrfView,
      handler: ({ res }) => {
        const csrfToken = issueCsrfToken(http.secret);
        setCsrfCookie(res, cookies, csrfToken);
        return { csrfToken };
      },
    }),
    defineRoute({
      method: 'post', path: '/api/v1/auth/login', tag: TAG, scope: 'any', access: PUBLIC,
      summary: 'Sign in with e-mail and password: sets a new sb_session cookie (progressive delays per account and client address)',
      body: loginBody, response: currentUserView,
      handler: async ({ req, res }) => {
        const { user } = await runStrategy(http.passport, 'local', req, res);
        if (!user) throw new AppError('UNAUTHENTICATED', 'The email or password is incorrect');
        const signedIn = user as SignedIn;
        setSessionCookie(res, cookies, signedIn.sessionId);
        return getCurrentUser(deps, signedIn.principal);
      },
    }),
    defineRoute({
      method: 'post', path: '/api/v1/auth/password-reset/request', tag: TAG, scope: 'any', access: PUBLIC, status: 202,
      summary: 'Mail a one-hour reset link if the address has an account (same answer either way; limited per account and client address)',
      body: resetRequestBody, response: resetRequestedView,
      handler: async ({ req, body }) => {
        await requestPasswordReset(deps, body.email, requestMeta(req));
        if (!deps.mail.canDeliver) {
          return { status: 'accepted', mailConfigured: false, message: 'This server cannot send e-mail (no mail server is configured), so no reset link was sent. Ask an administrator for help.' };
        }
        return { status: 'accepted', mailConfigured: true, message: 'If this address has an account, a reset link is on its way.' };
      },
    }),
    defineRoute({
      method: 'post', path: '/api/v1/auth/password-reset/confirm', tag: TAG, scope: 'any', access: PUBLIC,
      summary: 'Set a new password with a reset token; ends every session of the user',
      body: resetConfirmBody,
      handler: async ({ req, body }) => {
        await resetPassword(deps, { ...body, meta: requestMeta(req) });
      },
    }),
  ];
}
