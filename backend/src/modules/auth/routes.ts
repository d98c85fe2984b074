import type { Request } from 'express';
import type passport from 'passport';
import { requirePrincipal } from '../../http/authorize.js';
import { AppError } from '../../http/errors.js';
import { defineRoute, type RouteSpec } from '../../http/route-registry.js';
import { addToLogContext, principalLogFields } from '../../log-context.js';
import { startActingAsTenant, stopActingAsTenant } from './act-as-tenant.js';
import type { AuthDeps } from './auth-deps.js';
import { clearSessionCookie, type CookiePolicy } from './cookies.js';
import { getCurrentUser } from './get-current-user.js';
import { googleRouteSpecs } from './google-routes.js';
import { loadPrincipalByKey } from './load-session-principal.js';
import { logOut, logOutEverywhere } from './log-out.js';
import { requestMeta } from './passport-setup.js';
import type { UserPrincipal } from './principal.js';
import { currentUserView, emptyObject, logoutAllView, tenantChoiceBody } from './schemas.js';
import { signInRoutes } from './sign-in-routes.js';
import { switchTenant } from './switch-tenant.js';

/** What the identity routes need, built once by the identity module. */
export type AuthHttp = { deps: AuthDeps; passport: passport.Authenticator; cookies: CookiePolicy; secret: string; googleEnabled: boolean };

export function userPrincipal(req: Request): UserPrincipal {
  const principal = requirePrincipal(req);
  if (principal.kind !== 'user') throw new AppError('FORBIDDEN', 'This route is for people signed in with a session');
  return principal;
}

const TAG = 'auth';
const userOnly = { authenticated: true, kinds: ['user'] } as const;

/** Every /api/v1/auth route: public sign-in (password, Google, reset) and the routes of signed-in people. */
export function authRouteSpecs(http: AuthHttp): RouteSpec[] {
  return [...signInRoutes(http), ...googleRouteSpecs(http), ...sessionRoutes(http)];
}

function sessionRoutes(http: AuthHttp): RouteSpec[] {
  const { deps, cookies } = http;
  // After a change to the session, the answer describes the principal as the next request will see it.
  const me = async (req: Request, key: string) => {
    const principal = await loadPrincipalByKey(deps, key);
    if (!principal || principal.kind !== 'user') throw new AppError('UNAUTHENTICATED', 'Your session has ended; sign in again');
    req.principal = principal;
    addToLogContext(principalLogFields(principal));
    return getCurrentUser(deps, principal);
  };
  return [
    defineRoute({
      method: 'get', path: '/api/v1/auth/me', summary: 'The signed-in user, current role and tenant, memberships', tag: TAG,
      access: userOnly, scope: 'any', query: emptyObject, response: currentUserView,
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
      access: userOnly, scope: 'any', body: emptyObject, response: logoutAllView,
      handler: async ({ req, res }) => {
        const result = await logOutEverywhere(deps, userPrincipal(req), requestMeta(req));
        clearSessionCookie(res, cookies);
        return result;
      },
    }),
    defineRoute({
      method: 'post', path: '/api/v1/auth/switch-tenant', summary: 'Act in another of your own tenant memberships', tag: TAG,
      access: userOnly, scope: 'any', body: tenantChoiceBody, response: currentUserView,
      handler: async ({ req, body }) => {
        const principal = userPrincipal(req);
        await switchTenant(deps, principal, body.tenantId);
        return me(req, principal.sessionId);
      },
    }),
    defineRoute({
      method: 'post', path: '/api/v1/auth/act-as-tenant', summary: 'Agency staff: act inside one of the agency tenants (audited)', tag: TAG,
      access: { permission: 'agency.act_as_tenant', kinds: ['user'] }, scope: 'agency', body: tenantChoiceBody, response: currentUserView,
      handler: async ({ req, body }) => {
        const principal = userPrincipal(req);
        await startActingAsTenant(deps, principal, body.tenantId, requestMeta(req));
        return me(req, principal.sessionId);
      },
    }),
    defineRoute({
      method: 'delete', path: '/api/v1/auth/act-as-tenant', summary: 'Agency staff: stop acting as a tenant (audited)', tag: TAG,
      access: userOnly, scope: 'any', query: emptyObject, response: currentUserView,
      handler: async ({ req }) => {
        const principal = userPrincipal(req);
        await stopActingAsTenant(deps, principal, requestMeta(req));
        return me(req, principal.sessionId);
      },
    }),
  ];
}
