import { AGENCY_ROLES, roleCan, type Role } from '../auth/permissions.js';
import type { Principal } from '../auth/principal.js';

/**
 * Which roles a role may hand out by invitation. Written out because the permission map alone cannot
 * tell owner from admin (same permissions): nobody grants a role above their own, agency owners invite
 * operators and tenant owners, operators and tenant admins invite admins and members.
 * A unit test checks no entry grants a permission the granter lacks.
 */
export const GRANTABLE_ROLES: Record<Role, readonly Role[]> = {
  agency_owner: ['agency_owner', 'agency_operator', 'tenant_owner', 'tenant_admin', 'tenant_member'],
  agency_operator: ['tenant_admin', 'tenant_member'],
  tenant_owner: ['tenant_owner', 'tenant_admin', 'tenant_member'],
  tenant_admin: ['tenant_admin', 'tenant_member'],
  tenant_member: [],
};

export function isAgencyRole(role: Role): boolean {
  return AGENCY_ROLES.includes(role);
}

/** The role that decides what a user may grant: the real agency role when staff act as a tenant. */
export function grantingRole(principal: Extract<Principal, { kind: 'user' }>): Role {
  return principal.actingAs?.agencyRole ?? principal.role;
}

export function canGrant(principal: Extract<Principal, { kind: 'user' }>, role: Role): boolean {
  const granter = grantingRole(principal);
  const permission = isAgencyRole(role) ? 'agency.users.invite' : 'tenant.users.invite';
  return roleCan(granter, permission) && GRANTABLE_ROLES[granter].includes(role);
}
