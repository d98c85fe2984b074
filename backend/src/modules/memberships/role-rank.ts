import { AGENCY_ROLES, ROLE_PERMISSIONS, TENANT_ROLES, type Role } from '../auth/permissions.js';
import type { Principal } from '../auth/principal.js';

const RANK: Record<Role, number> = {
  tenant_member: 1,
  tenant_admin: 2,
  tenant_owner: 3,
  agency_operator: 4,
  agency_owner: 5,
};

/**
 * No escalation: a person may grant or change roles up to their own rank (agency staff acting as a
 * tenant count with their agency role); a service token only roles whose permissions it holds itself.
 */
export function canManageRole(principal: Principal, role: Role): boolean {
  if (principal.kind === 'service') return [...ROLE_PERMISSIONS[role]].every((p) => principal.permissions.has(p));
  const own = principal.actingAs?.agencyRole ?? principal.role;
  return RANK[own] >= RANK[role];
}

/** Agency memberships (no tenant) hold agency roles; tenant memberships hold tenant roles. */
export function roleFitsMembership(role: Role, tenantId: string | null): boolean {
  return (tenantId ? TENANT_ROLES : AGENCY_ROLES).includes(role);
}
