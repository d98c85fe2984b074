import { Router } from 'express';
import { defineRoute, mountRoutes, type RouteSpec } from '../../http/route-registry.js';
import { validate } from '../../http/validate.js';
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
const userOnly = { authenticated: true, kinds: ['user'] } as const;

/** Routes of signed-in admins; who may invite whom is decided in the use cases (it depends on the role granted). */
export function invitationRouteSpecs(deps: InvitationDeps): RouteSpec[] {
  return [
    defineRoute({
      method: 'get', path: '/api/v1/invitations', summary: 'Pending invitations where you act', tag: TAG,
      access: userOnly, scope: 'any', query: emptyObject,
      handler: async ({ req }) => ({ invitations: await listInvitations(deps, userPrincipal(req)) }),
    }),
    defineRoute({
      method: 'post', path: '/api/v1/invitations', summary: 'Invite someone (no role above your own)', tag: TAG,
      access: userOnly, scope: 'any', body: createInvitationBody, status: 201,
      handler: ({ req, body }) => createInvitation(deps, userPrincipal(req), body, requestMeta(req)),
    }),
    defineRoute({
      method: 'delete', path: '/api/v1/invitations/:id', summary: 'Revoke a pending invitation', tag: TAG,
      access: userOnly, scope: 'any', params: invitationIdParams, query: emptyObject,
      handler: async ({ req, params }) => {
        await revokeInvitation(deps, userPrincipal(req), params.id, requestMeta(req));
      },
    }),
  ];
}

/** /api/v1/invitations/*: inspect and accept are public (the token is the credential). */
export function invitationRoutes(deps: InvitationDeps): Router {
  const router = Router();
  router.post('/api/v1/invitations/inspect', validate({ body: inspectInvitationBody, query: emptyObject }), async (req, res) => {
    res.json(await inspectInvitation(deps, (req.body as { token: string }).token));
  });
  router.post('/api/v1/invitations/accept', validate({ body: acceptInvitationBody, query: emptyObject }), async (req, res) => {
    const body = req.body as { token: string; name?: string; password?: string };
    res.status(201).json(await acceptInvitation(deps, { ...body, meta: requestMeta(req) }));
  });
  router.use(mountRoutes(invitationRouteSpecs(deps)));
  return router;
}
