import { expect } from 'chai';
import { ROLE_PERMISSIONS, type Role } from '../../src/modules/auth/permissions.js';
import type { Principal } from '../../src/modules/auth/principal.js';
import { resolveFlags } from '../../src/modules/feature-flags/evaluate-flags.js';
import { canManageRole, roleFitsMembership } from '../../src/modules/memberships/role-rank.js';
import { formatToken, newSecret, parseToken, secretMatches } from '../../src/modules/service-tokens/token-secret.js';

const user = (role: Role): Principal => ({
  kind: 'user', userId: 'u', agencyId: 'a', sessionId: 's', role, permissions: ROLE_PERMISSIONS[role],
});

describe('authorization rules', () => {
  it('when a person manages roles, then they reach up to their own rank and no further', () => {
    expect(canManageRole(user('tenant_admin'), 'tenant_admin')).to.equal(true);
    expect(canManageRole(user('tenant_admin'), 'tenant_owner')).to.equal(false);
    expect(canManageRole(user('agency_operator'), 'agency_owner')).to.equal(false);
    expect(canManageRole(user('agency_owner'), 'agency_owner')).to.equal(true);
  });

  it('when a service token manages roles, then only roles whose permissions it holds', () => {
    const token: Principal = { kind: 'service', tokenId: 't', agencyId: 'a', permissions: ROLE_PERMISSIONS.tenant_admin };
    expect(canManageRole(token, 'tenant_member')).to.equal(true);
    expect(canManageRole(token, 'agency_operator')).to.equal(false);
  });

  it('when a role is put on a membership, then agency memberships take agency roles and tenant memberships tenant roles', () => {
    expect(roleFitsMembership('agency_owner', null)).to.equal(true);
    expect(roleFitsMembership('agency_owner', 't')).to.equal(false);
    expect(roleFitsMembership('tenant_member', null)).to.equal(false);
  });

  it('when a token is formatted and parsed, then id and secret round-trip and only the right secret matches', () => {
    const { secret, secretHash } = newSecret();
    const id = '0b0f6b8e-6a51-4f0e-9d53-1c8a2f3e4d5c';
    expect(parseToken(formatToken(id, secret))).to.deep.equal({ id, secret });
    expect(secretMatches(secret, secretHash)).to.equal(true);
    expect(secretMatches(newSecret().secret, secretHash)).to.equal(false);
    expect(parseToken('sbt_nope')).to.equal(undefined);
  });

  it('when flags have overrides at several levels, then the most specific wins', () => {
    const overrides = [
      { id: '1', flagKey: 'voice.agent', tenantId: null, userId: null, enabled: true },
      { id: '2', flagKey: 'voice.agent', tenantId: 't', userId: null, enabled: false },
    ];
    const flag = (who: { tenantId: string | null; userId: string | null }) => resolveFlags(overrides, who).find((f) => f.key === 'voice.agent')!;
    expect(flag({ tenantId: 't', userId: null })).to.include({ enabled: false, source: 'tenant' });
    expect(flag({ tenantId: 'other', userId: null })).to.include({ enabled: true, source: 'global' });
    expect(resolveFlags([], { tenantId: null, userId: null }).find((f) => f.key === 'audit.export')).to.include({ enabled: true, source: 'default' });
  });
});
