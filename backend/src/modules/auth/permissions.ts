// The one permission map: what each role may do. Every route declares the permission it needs.
export const ROLES = ['agency_owner', 'agency_operator', 'tenant_owner', 'tenant_admin', 'tenant_member'] as const;
export type Role = (typeof ROLES)[number];
export const AGENCY_ROLES: readonly Role[] = ['agency_owner', 'agency_operator'];
export const TENANT_ROLES: readonly Role[] = ['tenant_owner', 'tenant_admin', 'tenant_member'];

export const PERMISSIONS = [
  // agency level
  'agency.tenants.read',
  'agency.tenants.manage', // create, suspend, reactivate
  'agency.users.read',
  'agency.users.invite',
  'agency.users.manage_roles',
  'agency.act_as_tenant',
  'agency.audit.read',
  'agency.audit.verify',
  'agency.service_tokens.manage',
  'agency.feature_flags.manage',
  'agency.event_subscriptions.manage',
  'agency.system.read', // the System health page: services, queues, dead letters, alerts
  'agency.system.manage', // retry or discard dead letters
  // tenant level
  'tenant.read',
  'tenant.settings.manage',
  'tenant.users.read',
  'tenant.users.invite',
  'tenant.users.manage_roles',
  'tenant.audit.read',
  'tenant.service_tokens.manage',
  'tenant.event_subscriptions.manage',
  'tenant.contacts.read',
  'tenant.contacts.write',
  'tenant.messages.read',
  'tenant.messages.send',
  'tenant.ai.use', // generate text with the backend's LLM (metered)
  'tenant.payments.manage', // create and read payment links
  'tenant.bookings.read', // services, opening hours, free slots, bookings
  'tenant.bookings.write', // book, reschedule, cancel
  'tenant.bookings.manage', // services, weekly hours, exceptions
  'tenant.agents.read', // AI agents, prompt versions, turns and their usage
  'tenant.agents.manage', // create and configure agents, draft, publish and roll back prompts
  'agency.agents.manage', // the agency's base prompt template under every agent
  'agency.ai.manage', // the agency's AI model (base URL, key, model, fallback) and its test
  'agency.billing.manage', // plans, the agency's Stripe account, tenants' subscriptions, self sign-up
  'tenant.billing.manage', // the business's own subscription: subscribe, change plan, cancel, payment methods, invoices
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const tenantMember: Permission[] = [
  'tenant.read',
  'tenant.users.read',
  'tenant.contacts.read',
  'tenant.contacts.write',
  'tenant.messages.read',
  'tenant.messages.send',
  'tenant.ai.use',
  'tenant.bookings.read',
  'tenant.bookings.write',
  'tenant.agents.read',
];
const tenantAdmin: Permission[] = [
  ...tenantMember,
  'tenant.settings.manage',
  'tenant.users.invite',
  'tenant.users.manage_roles',
  'tenant.audit.read',
  'tenant.service_tokens.manage',
  'tenant.event_subscriptions.manage',
  'tenant.payments.manage',
  'tenant.bookings.manage',
  'tenant.agents.manage',
];
// Billing belongs to the business's owner (not its admins), and to agency staff acting for it.
const tenantOwner: Permission[] = [...tenantAdmin, 'tenant.billing.manage'];
const agencyOperator: Permission[] = [
  'agency.tenants.read', 'agency.users.read', 'agency.act_as_tenant', 'agency.ai.manage', 'agency.system.read', 'agency.system.manage', ...tenantOwner,
];
const agencyOwner: Permission[] = [
  ...agencyOperator,
  'agency.tenants.manage',
  'agency.users.invite',
  'agency.users.manage_roles',
  'agency.audit.read',
  'agency.audit.verify',
  'agency.service_tokens.manage',
  'agency.feature_flags.manage',
  'agency.event_subscriptions.manage',
  'agency.agents.manage',
  'agency.billing.manage',
];

export const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  agency_owner: new Set(agencyOwner),
  agency_operator: new Set(agencyOperator),
  tenant_owner: new Set(tenantOwner),
  tenant_admin: new Set(tenantAdmin),
  tenant_member: new Set(tenantMember),
};

export function roleCan(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].has(permission);
}
