import type { MembershipView, UserRecord } from './account-repository.js';
import { ROLE_PERMISSIONS, roleCan } from './permissions.js';
import type { UserPrincipal } from './principal.js';
import type { Session } from './session-store.js';

/** Memberships that can be used right now: agency-level ones, and those of active tenants. */
export function usableMemberships(memberships: MembershipView[]): MembershipView[] {
  return memberships.filter((m) => m.tenantId === null || m.tenantStatus === 'active');
}

/**
 * Decides who a signed-in user is for this request, from their memberships and the session's choices:
 * 1. agency staff acting as a tenant of their agency (permission re-checked on every request);
 * 2. the tenant the user switched to, if still one of their usable memberships;
 * 3. their agency membership;
 * 4. their oldest usable tenant membership.
 * undefined when the user is not active or has no usable membership (suspended user or tenant).
 */
export function resolvePrincipal(
  user: Pick<UserRecord, 'id' | 'status'>,
  memberships: MembershipView[],
  session: Pick<Session, 'key' | 'tenantId' | 'actingAs'>,
): UserPrincipal | undefined {
  if (user.status !== 'active') return undefined;
  const usable = usableMemberships(memberships);
  const agency = usable.find((m) => m.tenantId === null);
  const base = { kind: 'user' as const, userId: user.id, sessionId: session.key };
  const acting = session.actingAs;
  if (acting && agency && agency.agencyId === acting.agencyId && roleCan(agency.role, 'agency.act_as_tenant')) {
    return {
      ...base,
      agencyId: agency.agencyId,
      role: 'tenant_admin',
      tenantId: acting.tenantId,
      actingAs: { agencyRole: agency.role },
      permissions: ROLE_PERMISSIONS[agency.role],
    };
  }
  const tenantMemberships = usable.filter((m) => m.tenantId !== null);
  const chosen = tenantMemberships.find((m) => m.tenantId === session.tenantId);
  const membership = chosen ?? agency ?? tenantMemberships[0];
  if (!membership) return undefined;
  return {
    ...base,
    agencyId: membership.agencyId,
    role: membership.role,
    tenantId: membership.tenantId ?? undefined,
    permissions: ROLE_PERMISSIONS[membership.role],
  };
}
