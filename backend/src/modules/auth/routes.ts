import { Router, type Request } from 'express';
import type passport from 'passport';
import { AppError } from '../../http/errors.js';
import { requirePrincipal } from '../../http/authorize.js';
import { defineRoute, mountRoutes, type RouteSpec } from '../../http/route-registry.js';
import { validate } from '../../http/validate.js';
import { startActingAsTenant, stopActingAsTenant } from './act-as-tenant.js';
import type { AuthDeps } from './auth-deps.js';
import { clearSessionCookie, setCsrfCookie, setSessionCookie, type CookiePolicy } from './cookies.js';
import { issueCsrfToken } from './csrf.js';
import { getCurrentUser } from './get-current-user.js';
import { googleRoutes } from './google-routes.js';
import { loadPrincipalByKey } from './load-session-principal.js';
import { logOut, logOutEverywhere } from './log-out.js';
import { requestMeta, runStrategy } from './passport-setup.js';
import type { Principal } from './principal.js';
import { requestPasswordReset } from './request-password-reset.js';
import { resetPassword } from './reset-password.js';
import { emptyObject, loginBody, resetConfirmBody, resetRequestBody, tenantChoiceBody } from './schemas.js';
import type { SignedIn } from './start-session.js';
import { switchTenant } from './switch-tenant.js';

export type AuthHttp = { deps: AuthDeps; passport: passport.Authenticator; cookies: CookiePolicy; secret: string; googleEnabled: boolean };

type UserPrincipal = Extract<Principal, { kind: 'user' }>;

export function userPrincipal(req: Request): UserPrincipal {
  const principal = requirePrincipal(req);
  if (principal.kind !== 'user') throw new AppError('FORBIDDEN', 'This route is for people signed in with a session');
  return principal;
}

const TAG = 'auth';
const userOnly = { authenticated: true, kinds: ['user'] } as const;

/** /api/v1/auth/*: public sign-in routes, then the routes of signed-in users (declared for OpenAPI). */
export function authRoutes(http: AuthHttp): Router {
  const { deps, cookies } = http;
  const router = Router();

  router.get('/api/v1/auth/csrf', validate({ query: emptyObject }), (_req, res) => {
    const csrfToken = issueCsrfToken(http.secret);
    setCsrfCookie(res, cookies, csrfToken);
    res.json({ csrfToken });
  });

  router.post('/api/v1/auth/login', validate({ body: loginBody, query: emptyObject }), async (req, res) => {
    const { user } = await runStrategy(http.passport, 'local', req, res);
    if (!user) throw new AppError('UNAUTHENTICATED', 'The email or password is incorrect');
    const signedIn = user as SignedIn;
    setSessionCookie(res, cookies, signedIn.sessionId);
    res.json(await getCurrentUser(deps, signedIn.principal as UserPrincipal));
  });

  router.post('/api/v1/auth/password-reset/request', validate({ body: resetRequestBody, query: emptyObject }), async (req, res) => {
    await requestPasswordReset(deps, (req.body as { email: string }).email);
    res.status(202).json({ status: 'accepted', message: 'If this address has an account, a reset link is on its way.' });
  });

  router.post('/api/v1/auth/password-reset/confirm', validate({ body: resetConfirmBody, query: emptyObject }), async (req, res) => {
    const body = req.body as { token: string; password: string };
    await resetPassword(deps, { ...body, meta: requestMeta(req) });
    res.status(204).end();
  });

  router.use(googleRoutes(http));
  router.use(mountRoutes(authRouteSpecs(deps, cookies)));
  return router;
}

/** Routes of signed-in users, declared for the route registry (OpenAPI, test matrices). */
export function authRouteSpecs(deps: AuthDeps, cookies: CookiePolicy): RouteSpec[] {
  const me = async (req: Request, key: string) => {
    const principal = await loadPrincipalByKey(deps, key);
    if (!principal || principal.kind !== 'user') throw new AppError('UNAUTHENTICATED', 'Your session has ended; sign in again');
    req.principal = principal;
    return getCurrentUser(deps, principal);
  };
  return [
    defineRoute({
      method: 'get', path: '/api/v1/auth/me', summary: 'The signed-in user, current role and tenant, memberships', tag: TAG,
      access: userOnly, scope: 'any', query: emptyObject,
      handler: ({ req }) => getCurrentUser(deps, userPrincipal(req)),
    }),
    defineRoute({
      method: 'post', path: '/api/v1/auth/logout', summary: 'End this session', tag: TAG, access: userOnly, scope: 'any', body: emptyObject,
      handler: async ({ req, res }) => {
        await logOut(deps, userPrincipal(req));
        clearSessionCookie(res, cookies);
      },
    }),
    defineRoute({
      method: 'post', path: '/api/v1/auth/logout-all', summary: 'End every session of this user (all devices)', tag: TAG,
      access: userOnly, scope: 'any', body: emptyObject,
      handler: async ({ req, res }) => {
        const result = await logOutEverywhere(deps, userPrincipal(req), requestMeta(req));
        clearSessionCookie(res, cookies);
        return result;
      },
    }),
    defineRoute({
      method: 'post', path: '/api/v1/auth/switch-tenant', summary: 'Act in another of your own tenant memberships', tag: TAG,
      access: userOnly, scope: 'any', body: tenantChoiceBody,
      handler: async ({ req, body }) => {
        const principal = userPrincipal(req);
        await switchTenant(deps, principal, body.tenantId);
        return me(req, principal.sessionId);
      },
    }),
    defineRoute({
      method: 'post', path: '/api/v1/auth/act-as-tenant', summary: 'Agency staff: act inside one of the agency tenants (audited)', tag: TAG,
      access: { permission: 'agency.act_as_tenant' }, scope: 'agency', body: tenantChoiceBody,
      handler: async ({ req, body }) => {
        const principal = userPrincipal(req);
        await startActingAsTenant(deps, principal, body.tenantId, requestMeta(req));
        return me(req, principal.sessionId);
      },
    }),
    defineRoute({
      method: 'delete', path: '/api/v1/auth/act-as-tenant', summary: 'Agency staff: stop acting as a tenant (audited)', tag: TAG,
      access: userOnly, scope: 'any', query: emptyObject,
      handler: async ({ req }) => {
        const principal = userPrincipal(req);
        await stopActingAsTenant(deps, principal, requestMeta(req));
        return me(req, principal.sessionId);
      },
    }),
  ];
}
