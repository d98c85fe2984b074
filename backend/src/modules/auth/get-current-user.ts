import { AppError } from '../../http/errors.js';
import { findUserById, listMemberships } from './account-repository.js';
import type { AuthDeps } from './auth-deps.js';
import { evaluateFlags } from '../feature-flags/evaluate-flags.js';
import type { Principal } from './principal.js';

export type CurrentUser = {
  user: { id: string; email: string; name: string };
  role: string;
  agencyId: string;
  tenantId: string | null;
  actingAs: { agencyRole: string } | null;
  permissions: string[];
  memberships: {
    id: string;
    role: string;
    agencyId: string;
    tenantId: string | null;
    tenantName: string | null;
    tenantStatus: string | null;
  }[];
  /** Feature flags as evaluated for this user where they act now. */
  featureFlags: Record<string, boolean>;
};

export async function getCurrentUser(
  deps: Pick<AuthDeps, 'runInScope'>,
  principal: Extract<Principal, { kind: 'user' }>,
): Promise<CurrentUser> {
  const flags = await evaluateFlags(deps, principal);
  return deps.runInScope({}, async (t) => {
    const user = await findUserById(t, principal.userId);
    if (!user) throw new AppError('UNAUTHENTICATED', 'Your account no longer exists');
    const memberships = await listMemberships(t, user.id);
    return {
      user: { id: user.id, email: user.email, name: user.name },
      role: principal.role,
      agencyId: principal.agencyId,
      tenantId: principal.tenantId ?? null,
      actingAs: principal.actingAs ?? null,
      permissions: [...principal.permissions].sort(),
      memberships,
      featureFlags: Object.fromEntries(flags.map((flag) => [flag.key, flag.enabled])),
    };
  });
}
