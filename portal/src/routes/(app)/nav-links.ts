// The sections a person sees, by where they act: agency staff at agency level get the agency's pages;
// inside a client business (their own, or agency staff acting in it) the business's pages.
export type NavLink = { href: string; label: string };
export type NavMe = { role: string; tenantId: string | null; agencyStaff: boolean; actingAsTenant: boolean };

const ADMIN_ROLES = ['tenant_owner', 'tenant_admin'];

export function navLinks(me: NavMe): NavLink[] {
  if (!me.tenantId) {
    return [
      { href: '/agency', label: 'Client businesses' },
      { href: '/team', label: 'Agency staff' },
      { href: '/ai-model', label: 'AI model' },
      // Billing is the agency owner's (the API refuses operators).
      ...(me.role === 'agency_owner' ? [{ href: '/agency/plans', label: 'Plans' }] : []),
      { href: '/agency/system', label: 'System health' },
    ];
  }
  const admin = ADMIN_ROLES.includes(me.role);
  return [
    { href: '/home', label: 'Home' },
    { href: '/conversations', label: 'Conversations' },
    { href: '/calls', label: 'Calls' },
    { href: '/contacts', label: 'Contacts' },
    { href: '/bookings', label: 'Bookings' },
    { href: '/agents', label: 'Agents' },
    { href: '/channels', label: 'Channels' },
    { href: '/consent-rules', label: 'Consent rules' },
    { href: '/team', label: 'Team' },
    ...(admin ? [{ href: '/ai-model', label: 'AI model' }, { href: '/audit', label: 'Audit log' }] : []),
    // The business's subscription is its owner's, and agency staff acting for it (the API refuses admins and members).
    ...(me.role === 'tenant_owner' || me.agencyStaff ? [{ href: '/billing', label: 'Billing' }] : []),
  ];
}
