import type { Request, RequestHandler } from 'express';
import type { Permission } from '../modules/auth/permissions.js';
import type { Principal } from '../modules/auth/principal.js';
import { AppError } from './errors.js';

type Kinds = readonly Principal['kind'][];

/**
 * Who may call a route, checked before any input is looked at:
 * - public: anyone, signed in or not (sign-in, password reset, invitation tokens: the body is the credential);
 * - authenticated: any signed-in caller (optionally only some kinds of caller);
 * - permission: callers holding it (tenant.* permissions also need a tenant in scope);
 * - anyPermission: callers holding at least one of them, for routes that work at agency or tenant level
 *   (the use case then checks the permission of the level the caller acts at).
 */
export type Access =
  | { public: true }
  | { authenticated: true; kinds?: Kinds }
  | { permission: Permission; kinds?: Kinds }
  | { anyPermission: readonly Permission[]; kinds?: Kinds };

/** Tenant-level permissions only make sense with a tenant in scope (own tenant, or "act as"). */
export function isTenantPermission(permission: Permission): boolean {
  return permission.startsWith('tenant.');
}

/** The permissions a route names (none for public and merely authenticated routes). */
export function accessPermissions(access: Access): readonly Permission[] {
  if ('permission' in access) return [access.permission];
  if ('anyPermission' in access) return access.anyPermission;
  return [];
}

export function authorize(access: Access): RequestHandler {
  if ('public' in access) return (_req, _res, next) => next();
  return (req, _res, next) => {
    const principal = requirePrincipal(req);
    if (access.kinds && !access.kinds.includes(principal.kind)) {
      throw new AppError('FORBIDDEN', 'This route is not for your kind of credential');
    }
    if ('permission' in access) assertPermission(principal, access.permission);
    if ('anyPermission' in access && !access.anyPermission.some((p) => principal.permissions.has(p))) {
      throw new AppError('FORBIDDEN', 'You do not have permission to do this', { anyOf: access.anyPermission });
    }
    next();
  };
}

/** 403 without the permission (or without a tenant for tenant-level permissions). */
function assertPermission(principal: Principal, permission: Permission): void {
  if (!principal.permissions.has(permission)) {
    throw new AppError('FORBIDDEN', 'You do not have permission to do this', { permission });
  }
  if (isTenantPermission(permission) && !principal.tenantId) {
    throw new AppError('FORBIDDEN', 'Choose a tenant to act in first', { permission });
  }
}

/** 401 without a principal. */
export function requirePrincipal(req: Request): Principal {
  if (!req.principal) throw new AppError('UNAUTHENTICATED', 'Sign in or send a valid service token');
  return req.principal;
}
