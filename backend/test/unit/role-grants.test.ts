import { expect } from 'chai';
import { PERMISSIONS, ROLE_PERMISSIONS, ROLES, type Permission, type Role } from '../../src/modules/auth/permissions.js';
import type { Principal, UserPrincipal } from '../../src/modules/auth/principal.js';
import { canGrantRole, roleFitsPlace, type GrantAction } from '../../src/modules/auth/role-grants.js';

const T = 'tenant-t';
const U = 'tenant-u';

const person = (role: Role, tenantId?: string): UserPrincipal => ({
  kind: 'user', userId: 'u', agencyId: 'a', sessionId: 's', role, tenantId, permissions: ROLE_PERMISSIONS[role],
});
const acting = (agencyRole: Role, tenantId: string): UserPrincipal => ({
  ...person('tenant_admin', tenantId), actingAs: { agencyRole }, permissions: ROLE_PERMISSIONS[agencyRole],
});
const token = (permissions: readonly Permission[], tenantId?: string): Principal => ({
  kind: 'service', tokenId: 't', agencyId: 'a', tenantId, permissions: new Set(permissions),
});

/** Roles the principal may grant, as "role@place" (place: agency, T or U). */
function grants(principal: Principal, action: GrantAction = 'invite'): string[] {
  const places = [{ name: 'agency', tenantId: null }, { name: 'T', tenantId: T }, { name: 'U', tenantId: U }];
  return places.flatMap((place) => ROLES.filter((role) => canGrantRole(principal, role, place, action)).map((role) => `${role}@${place.name}`));
}

describe('role grants: one rule for invitations and role changes', () => {
  for (const action of ['invite', 'manage'] as const) {
    describe(`(${action})`, () => {
      it('when the agency owner grants at agency level, then every role, agency roles at the agency and tenant roles in any tenant', () => {
        expect(grants(person('agency_owner'), action)).to.have.members([
          'agency_owner@agency', 'agency_operator@agency',
          'tenant_owner@T', 'tenant_admin@T', 'tenant_member@T', 'tenant_owner@U', 'tenant_admin@U', 'tenant_member@U',
        ]);
      });

      it('when an operator grants at agency level, then tenant roles up to tenant owner (no agency roles: no agency permission)', () => {
        expect(grants(person('agency_operator'), action)).to.have.members([
          'tenant_owner@T', 'tenant_admin@T', 'tenant_member@T', 'tenant_owner@U', 'tenant_admin@U', 'tenant_member@U',
        ]);
      });

      it('when tenant people grant, then roles at or below their own, in their own tenant only', () => {
        expect(grants(person('tenant_owner', T), action)).to.have.members(['tenant_owner@T', 'tenant_admin@T', 'tenant_member@T']);
        expect(grants(person('tenant_admin', T), action)).to.have.members(['tenant_admin@T', 'tenant_member@T']);
        expect(grants(person('tenant_member', T), action)).to.deep.equal([]);
      });

      it('when agency staff act as a tenant, then their agency role decides, and tenant roles stay in that tenant', () => {
        expect(grants(acting('agency_operator', T), action)).to.have.members(['tenant_owner@T', 'tenant_admin@T', 'tenant_member@T']);
        expect(grants(acting('agency_owner', T), action)).to.have.members([
          'agency_owner@agency', 'agency_operator@agency', 'tenant_owner@T', 'tenant_admin@T', 'tenant_member@T',
        ]);
      });
    });
  }

  it('when a service token grants, then only roles whose every permission it holds, where it may act', () => {
    const tenantOwnerToken = token([...ROLE_PERMISSIONS.tenant_owner], T);
    expect(grants(tenantOwnerToken, 'manage')).to.have.members(['tenant_owner@T', 'tenant_admin@T', 'tenant_member@T']);
    // An admin's permissions lack the owner's billing: such a token cannot make anyone owner.
    const tenantAdminToken = token([...ROLE_PERMISSIONS.tenant_admin], T);
    expect(grants(tenantAdminToken, 'manage')).to.have.members(['tenant_admin@T', 'tenant_member@T']);
    const narrow = token(['tenant.users.manage_roles', 'tenant.read'], T);
    expect(grants(narrow, 'manage')).to.deep.equal([]);
    const agencyToken = token([...PERMISSIONS]);
    expect(grants(agencyToken, 'manage')).to.include.members(['agency_owner@agency', 'tenant_member@U']);
    // Without agency.act_as_tenant it can act in no tenant, and lacks a permission of both agency roles.
    const noActAs = token(PERMISSIONS.filter((p) => p !== 'agency.act_as_tenant'));
    expect(grants(noActAs, 'manage')).to.deep.equal([]);
  });

  it('when a role is granted, then the granted permissions are a subset of the granter\'s (no escalation)', () => {
    const principals = [...ROLES.map((role) => person(role, role.startsWith('tenant') ? T : undefined)), acting('agency_operator', T)];
    for (const principal of principals) {
      for (const entry of grants(principal)) {
        const granted = entry.split('@')[0] as Role;
        const extra = [...ROLE_PERMISSIONS[granted]].filter((p) => !principal.permissions.has(p));
        expect(extra, `${principal.kind === 'user' ? principal.role : 'token'} -> ${entry}`).to.deep.equal([]);
      }
    }
  });

  it('when a role is put on a membership, then agency memberships take agency roles and tenant memberships tenant roles', () => {
    expect(roleFitsPlace('agency_owner', { tenantId: null })).to.equal(true);
    expect(roleFitsPlace('agency_owner', { tenantId: T })).to.equal(false);
    expect(roleFitsPlace('tenant_member', { tenantId: null })).to.equal(false);
  });
});
