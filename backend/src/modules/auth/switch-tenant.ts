import { AppError } from '../../http/errors.js';
import { listMemberships } from './account-repository.js';
import type { AuthDeps } from './auth-deps.js';
import type { Principal } from './principal.js';
import { usableMemberships } from './resolve-principal.js';

/** A user with several tenant memberships chooses which one this session acts in (their own only). */
export async function switchTenant(
  deps: Pick<AuthDeps, 'runInScope' | 'sessions'>,
  principal: Extract<Principal, { kind: 'user' }>,
  tenantId: string,
): Promise<void> {
  const memberships = await deps.runInScope({}, (t) => listMemberships(t, principal.userId));
  const membership = usableMemberships(memberships).find((m) => m.tenantId === tenantId);
  if (!membership) throw new AppError('FORBIDDEN', 'You are not a member of this tenant, or it is suspended');
  const session = await deps.sessions.readByKey(principal.sessionId);
  if (!session) throw new AppError('UNAUTHENTICATED', 'Your session has ended; sign in again');
  await deps.sessions.update({ ...session, tenantId, actingAs: undefined });
}
