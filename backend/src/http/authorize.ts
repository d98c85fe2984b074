import type { Request, RequestHandler } from 'express';
import type { Permission } from '../modules/auth/permissions.js';
import type { Principal } from '../modules/auth/principal.js';
import { AppError } from './errors.js';

/** Tenant-level permissions only make sense with a tenant in scope (own tenant, or "act as"). */
export function isTenantPermission(permission: Permission): boolean {
  return permission.startsWith('tenant.');
}

/** 401 without a principal; 403 without the permission (or without a tenant for tenant-level permissions). */
export function requirePermission(permission: Permission): RequestHandler {
  return (req, _res, next) => {
    const principal = requirePrincipal(req);
    if (!principal.permissions.has(permission)) {
      throw new AppError('FORBIDDEN', 'You do not have permission to do this', { permission });
    }
    if (isTenantPermission(permission) && !principal.tenantId) {
      throw new AppError('FORBIDDEN', 'Choose a tenant to act in first', { permission });
    }
    next();
  };
}

/** For routes open to any authenticated caller (optionally only some kinds of caller). */
export function requireAuthenticated(kinds?: readonly Principal['kind'][]): RequestHandler {
  return (req, _res, next) => {
    const principal = requirePrincipal(req);
    if (kinds && !kinds.includes(principal.kind)) throw new AppError('FORBIDDEN', 'This route is not for your kind of credential');
    next();
  };
}

export function requirePrincipal(req: Request): Principal {
  if (!req.principal) throw new AppError('UNAUTHENTICATED', 'Sign in or send a valid service token');
  return req.principal;
}
