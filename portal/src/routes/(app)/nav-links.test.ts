import { describe, expect, it } from 'vitest';
import { navLinks } from './nav-links.js';

const labels = (me: Parameters<typeof navLinks>[0]) => navLinks(me).map((link) => link.label);

describe('the sections each person sees', () => {
  it('when agency staff are at agency level, then they see the agency pages only (no business page their role refuses)', () => {
    expect(labels({ role: 'agency_owner', tenantId: null, agencyStaff: true, actingAsTenant: false })).toEqual(['Client businesses', 'Agency staff', 'AI model', 'Plans', 'System health']);
  });

  it('when an agency operator is at agency level, then Plans is not offered (billing is the owner\'s)', () => {
    expect(labels({ role: 'agency_operator', tenantId: null, agencyStaff: true, actingAsTenant: false })).not.toContain('Plans');
  });

  it('when agency staff act inside a business, then they see its pages (the banner takes them back)', () => {
    const acting = labels({ role: 'tenant_admin', tenantId: 't1', agencyStaff: true, actingAsTenant: true });
    expect(acting).toContain('Home');
    expect(acting).toContain('Audit log');
    expect(acting).not.toContain('Client businesses');
  });

  it('when a business member signs in, then they see the business pages without admin ones', () => {
    const member = labels({ role: 'tenant_member', tenantId: 't1', agencyStaff: false, actingAsTenant: false });
    expect(member).toEqual(expect.arrayContaining(['Home', 'Conversations', 'Calls', 'Contacts', 'Agents', 'Channels', 'Team']));
    expect(member).not.toContain('AI model');
    expect(member).not.toContain('Audit log');
    expect(member).not.toContain('Billing');
  });

  it('when a business owner signs in, then Billing is offered (the plan, Checkout, invoices)', () => {
    expect(labels({ role: 'tenant_owner', tenantId: 't1', agencyStaff: false, actingAsTenant: false })).toContain('Billing');
  });

  it('when a business admin signs in, then Billing is not offered (the subscription is the owner\'s)', () => {
    expect(labels({ role: 'tenant_admin', tenantId: 't1', agencyStaff: false, actingAsTenant: false })).not.toContain('Billing');
  });
});
