import { expect } from 'chai';
import { ROLE_PERMISSIONS, ROLES, type Role } from '../../src/modules/auth/permissions.js';
import type { UserPrincipal } from '../../src/modules/auth/principal.js';
import { canGrant, GRANTABLE_ROLES } from '../../src/modules/invitations/grantable-roles.js';

const as = (role: Role, actingAs?: Role): UserPrincipal => ({
  kind: 'user',
  userId: 'u',
  agencyId: 'a',
  sessionId: 's',
  role,
  actingAs: actingAs ? { agencyRole: actingAs } : undefined,
  permissions: ROLE_PERMISSIONS[actingAs ?? role],
});

describe('grantable roles (no escalation)', () => {
  it('when any role grants a role, then the granted permissions are a subset of the granter\'s', () => {
    for (const granter of ROLES) {
      for (const granted of GRANTABLE_ROLES[granter]) {
        const extra = [...ROLE_PERMISSIONS[granted]].filter((p) => !ROLE_PERMISSIONS[granter].has(p));
        expect(extra, `${granter} -> ${granted}`).to.deep.equal([]);
      }
    }
  });

  it('when a tenant admin invites, then only admins and members are allowed', () => {
    expect(ROLES.filter((r) => canGrant(as('tenant_admin'), r))).to.deep.equal(['tenant_admin', 'tenant_member']);
  });

  it('when a tenant member invites, then nothing is allowed', () => {
    expect(ROLES.filter((r) => canGrant(as('tenant_member'), r))).to.deep.equal([]);
  });

  it('when an agency owner acts as a tenant, then their agency role decides (tenant owners allowed)', () => {
    expect(canGrant(as('tenant_admin', 'agency_owner'), 'tenant_owner')).to.equal(true);
    expect(canGrant(as('tenant_admin', 'agency_operator'), 'tenant_owner')).to.equal(false);
  });
});
