import { AGENCY_ROLES, ROLE_PERMISSIONS, TENANT_ROLES, type Permission, type Role } from './permissions.js';
import type { Principal, UserPrincipal } from './principal.js';

/**
 * The one rule for handing out roles, used by invitations (invite, revoke) and by membership changes
 * (change role, remove). The permission map alone cannot tell an owner from an admin (same permissions),
 * hence the rank.
 */
export const ROLE_RANK: Record<Role, number> = {
  agency_owner: 5,
  agency_operator: 4,
  tenant_owner: 3,
  tenant_admin: 2,
  tenant_member: 1,
};

/** 'invite': send or revoke an invitation; 'manage': put a role on, or take it off, a membership. */
export type GrantAction = 'invite' | 'manage';

/** Where the role is held: a tenant, or the agency itself (tenantId null). */
export type GrantPlace = { tenantId: string | null };

export function isAgencyRole(role: Role): boolean {
  return AGENCY_ROLES.includes(role);
}

/** Agency roles live on agency memberships (no tenant), tenant roles on tenant memberships. */
export function roleFitsPlace(role: Role, place: GrantPlace): boolean {
  return (place.tenantId ? TENANT_ROLES : AGENCY_ROLES).includes(role);
}

/** The role a person's grants are measured against: staff acting as a tenant keep their agency role. */
export function grantingRole(principal: UserPrincipal): Role {
  return principal.actingAs?.agencyRole ?? principal.role;
}

function permissionToGrant(role: Role, action: GrantAction): Permission {
  if (isAgencyRole(role)) return action === 'invite' ? 'agency.users.invite' : 'agency.users.manage_roles';
  return action === 'invite' ? 'tenant.users.invite' : 'tenant.users.manage_roles';
}

/**
 * A tenant the principal can act in: its own tenant when it is in one; at agency level, any tenant of
 * its agency if it may act as a tenant (the caller's query checks the tenant belongs to the agency).
 */
function canActIn(principal: Principal, tenantId: string | null): boolean {
  if (!tenantId) return false;
  if (principal.tenantId) return principal.tenantId === tenantId;
  return principal.permissions.has('agency.act_as_tenant');
}

/**
 * Whether `principal` may grant `role` at `place` (or change/remove a membership holding it):
 * - it holds the matching permission (agency.users.* for agency roles, tenant.users.* for tenant roles),
 *   so agency roles are only granted by agency staff;
 * - a tenant role only in a tenant the principal can act in;
 * - a person only roles at or below their own rank; a service token only roles whose every permission it holds.
 * Keeping the last agency owner / tenant owner is checked where memberships change (it needs the database).
 */
export function canGrantRole(principal: Principal, role: Role, place: GrantPlace, action: GrantAction): boolean {
  if (!roleFitsPlace(role, place)) return false;
  if (!principal.permissions.has(permissionToGrant(role, action))) return false;
  if (!isAgencyRole(role) && !canActIn(principal, place.tenantId)) return false;
  if (principal.kind === 'service') return [...ROLE_PERMISSIONS[role]].every((p) => principal.permissions.has(p));
  return ROLE_RANK[grantingRole(principal)] >= ROLE_RANK[role];
}
