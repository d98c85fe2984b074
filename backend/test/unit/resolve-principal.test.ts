import { expect } from 'chai';
import type { MembershipView } from '../../src/modules/auth/account-repository.js';
import { resolvePrincipal } from '../../src/modules/auth/resolve-principal.js';

const membership = (over: Partial<MembershipView>): MembershipView => ({
  id: 'm',
  agencyId: 'agency-1',
  tenantId: null,
  role: 'agency_owner',
  tenantName: null,
  tenantStatus: null,
  ...over,
});
const active = { id: 'user-1', status: 'active' };

describe('resolvePrincipal', () => {
  it('when the user has two tenants and chose the second, then the second decides role and tenant', () => {
    const ms = [
      membership({ tenantId: 't1', role: 'tenant_member', tenantStatus: 'active' }),
      membership({ tenantId: 't2', role: 'tenant_owner', tenantStatus: 'active' }),
    ];
    expect(resolvePrincipal(active, ms, { key: 'k', tenantId: 't2' })).to.deep.include({ tenantId: 't2', role: 'tenant_owner' });
    expect(resolvePrincipal(active, ms, { key: 'k' })).to.deep.include({ tenantId: 't1', role: 'tenant_member' });
  });

  it('when the only tenant is suspended or the user is suspended, then there is no principal', () => {
    const ms = [membership({ tenantId: 't1', role: 'tenant_admin', tenantStatus: 'suspended' })];
    expect(resolvePrincipal(active, ms, { key: 'k' })).to.equal(undefined);
    expect(resolvePrincipal({ id: 'u', status: 'suspended' }, [membership({})], { key: 'k' })).to.equal(undefined);
  });

  it('when a tenant member has an acting-as in the session, then it is ignored (no act-as permission)', () => {
    const ms = [membership({ tenantId: 't1', role: 'tenant_member', tenantStatus: 'active' })];
    const principal = resolvePrincipal(active, ms, { key: 'k', actingAs: { tenantId: 't9', agencyId: 'agency-1' } });
    expect(principal).to.deep.include({ tenantId: 't1', role: 'tenant_member' });
    expect(principal!.actingAs).to.equal(undefined);
  });

  it('when agency staff act as a tenant, then the tenant is set and their agency role is remembered', () => {
    const principal = resolvePrincipal(active, [membership({ role: 'agency_operator' })], { key: 'k', actingAs: { tenantId: 't9', agencyId: 'agency-1' } });
    expect(principal).to.deep.include({ tenantId: 't9', role: 'tenant_admin', actingAs: { agencyRole: 'agency_operator' } });
  });
});
