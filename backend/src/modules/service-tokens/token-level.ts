import { AppError } from '../../http/errors.js';
import type { Actor } from '../../http/request-context.js';
import type { Permission } from '../auth/permissions.js';

/**
 * 'agency': the agency's token management (any token of the agency, tenant tokens included);
 * 'tenant': a tenant admin's (only tokens of the caller's tenant).
 */
export type TokenLevel = 'agency' | 'tenant';

export function tokenScope(actor: Actor, level: TokenLevel): { agencyId: string; tenantId?: string } {
  const { agencyId, tenantId } = actor.principal;
  return level === 'tenant' ? { agencyId, tenantId } : { agencyId };
}

/** A token never holds more than its creator, and a tenant token only tenant-level permissions. */
export function assertGrantable(actor: Actor, permissions: readonly Permission[], tenantId: string | null): void {
  const missing = permissions.filter((p) => !actor.principal.permissions.has(p));
  if (missing.length > 0) throw new AppError('FORBIDDEN', 'A token cannot hold permissions you do not have', { missing });
  if (tenantId && permissions.some((p) => !p.startsWith('tenant.'))) {
    throw new AppError('VALIDATION_FAILED', 'The request is not valid', [
      { path: 'body.permissions', message: 'a tenant token may only hold tenant.* permissions' },
    ]);
  }
}
