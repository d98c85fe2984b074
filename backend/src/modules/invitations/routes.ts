import { defineRoute, type RouteSpec } from '../../http/route-registry.js';
import { requestMeta } from '../auth/passport-setup.js';
import { emptyObject } from '../auth/schemas.js';
import { userPrincipal } from '../auth/routes.js';
import { acceptInvitation } from './accept-invitation.js';
import { createInvitation } from './create-invitation.js';
import { inspectInvitation } from './inspect-invitation.js';
import type { InvitationDeps } from './invitation-deps.js';
import { listInvitations } from './list-invitations.js';
import { revokeInvitation } from './revoke-invitation.js';
import { acceptInvitationBody, createInvitationBody, inspectInvitationBody, invitationIdParams } from './schemas.js';

const TAG = 'invitations';
const PUBLIC = { public: true } as const;
// Invitations work where the caller acts (agency level or a tenant): the guard admits holders of either
// level's permission, the use cases check the one of the level (and role) concerned.
const readers = { anyPermission: ['tenant.users.read', 'agency.users.read'], kinds: ['user'] } as const;
const inviters = { anyPermission: ['tenant.users.invite', 'agency.users.invite'], kinds: ['user'] } as const;

/** /api/v1/invitations/*: inspect and accept are public (the token is the credential); the rest is for signed-in admins. */
export function invitationRouteSpecs(deps: InvitationDeps): RouteSpec[] {
  return [
    defineRoute({
      method: 'get', path: '/api/v1/invitations', summary: 'Pending invitations where you act', tag: TAG,
      access: readers, scope: 'any', query: emptyObject,
      handler: async ({ req }) => ({ invitations: await listInvitations(deps, userPrincipal(req)) }),
    }),
    defineRoute({
      method: 'post', path: '/api/v1/invitations', summary: 'Invite someone (no role above your own)', tag: TAG,
      access: inviters, scope: 'any', body: createInvitationBody, status: 201,
      handler: ({ req, body }) => createInvitation(deps, userPrincipal(req), body, requestMeta(req)),
    }),
    defineRoute({
      method: 'delete', path: '/api/v1/invitations/:id', summary: 'Revoke a pending invitation', tag: TAG,
      access: inviters, scope: 'any', params: invitationIdParams, query: emptyObject,
      handler: async ({ req, params }) => {
        await revokeInvitation(deps, userPrincipal(req), params.id, requestMeta(req));
      },
    }),
    defineRoute({
      method: 'post', path: '/api/v1/invitations/inspect', summary: 'What an invitation token offers (before accepting)', tag: TAG,
      access: PUBLIC, scope: 'any', body: inspectInvitationBody,
      handler: ({ body }) => inspectInvitation(deps, body.token),
    }),
    defineRoute({
      method: 'post', path: '/api/v1/invitations/accept', summary: 'Accept an invitation (name and password only for a new account)', tag: TAG,
      access: PUBLIC, scope: 'any', body: acceptInvitationBody, status: 201,
      handler: ({ req, body }) => acceptInvitation(deps, { ...body, meta: requestMeta(req) }),
    }),
  ];
}
