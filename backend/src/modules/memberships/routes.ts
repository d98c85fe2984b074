import type { ScopedDeps } from '../../db/scoped-deps.js';
import { actorFrom } from '../../http/request-context.js';
import { defineRoute, type RouteSpec } from '../../http/route-registry.js';
import { emptyQuery } from '../../http/schemas.js';
import { changeMembershipRole, removeMembership, type MembershipLevel } from './change-membership.js';
import { listUsers } from './list-users.js';
import { changeRoleBody, listUsersQuery, membershipIdParams, membershipView, userListView } from './schemas.js';

function membershipRoutes(deps: ScopedDeps, level: MembershipLevel): RouteSpec[] {
  const prefix = level === 'agency' ? '/api/v1/agency' : '/api/v1/tenant';
  const manage = level === 'agency' ? 'agency.users.manage_roles' : 'tenant.users.manage_roles';
  return [
    defineRoute({
      method: 'get', path: `${prefix}/users`, tag: level, scope: level,
      summary: level === 'agency' ? 'People of the agency and all its tenants, with their memberships' : "People of the caller's tenant",
      access: { permission: level === 'agency' ? 'agency.users.read' : 'tenant.users.read' },
      query: listUsersQuery, response: userListView,
      handler: async ({ req, query }) => {
        const { principal } = actorFrom(req);
        const tenantId = level === 'tenant' ? principal.tenantId : undefined;
        return { users: await listUsers(deps, { agencyId: principal.agencyId, tenantId, ...query }) };
      },
    }),
    defineRoute({
      method: 'patch', path: `${prefix}/memberships/:membershipId`, tag: level, scope: level,
      summary: 'Change a membership role (never above your own; the last agency owner stays)',
      access: { permission: manage },
      params: membershipIdParams, query: emptyQuery, body: changeRoleBody, response: membershipView,
      handler: ({ req, params, body }) =>
        changeMembershipRole(deps, { actor: actorFrom(req), level, membershipId: params.membershipId, role: body.role }),
    }),
    defineRoute({
      method: 'delete', path: `${prefix}/memberships/:membershipId`, tag: level, scope: level,
      summary: 'Remove a membership (the last agency owner stays)',
      access: { permission: manage },
      params: membershipIdParams, query: emptyQuery,
      handler: ({ req, params }) => removeMembership(deps, { actor: actorFrom(req), level, membershipId: params.membershipId }),
    }),
  ];
}

export function agencyMembershipRoutes(deps: ScopedDeps): RouteSpec[] {
  return membershipRoutes(deps, 'agency');
}

export function tenantMembershipRoutes(deps: ScopedDeps): RouteSpec[] {
  return membershipRoutes(deps, 'tenant');
}
