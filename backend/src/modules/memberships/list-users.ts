import type { ScopedDeps } from '../../db/scoped-deps.js';
import { listUsersWithMemberships, type UserWithMemberships } from './membership-repository.js';

/** Everyone with a membership in the agency (level 'agency') or in the caller's tenant (level 'tenant'). */
export function listUsers(
  deps: ScopedDeps,
  input: { agencyId: string; tenantId?: string; limit: number; offset: number },
): Promise<UserWithMemberships[]> {
  return deps.runInScope({ agencyId: input.agencyId, tenantId: input.tenantId }, (tx) => listUsersWithMemberships(tx, input));
}
