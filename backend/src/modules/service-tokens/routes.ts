import type { ScopedDeps } from '../../db/scoped-deps.js';
import { actorFrom } from '../../http/request-context.js';
import { defineRoute, type RouteSpec } from '../../http/route-registry.js';
import { emptyBody, emptyQuery } from '../../http/schemas.js';
import { createServiceToken } from './create-service-token.js';
import { listServiceTokens, revokeServiceToken, rotateServiceToken } from './revoke-service-token.js';
import {
  createAgencyTokenBody,
  createTenantTokenBody,
  issuedTokenView,
  serviceTokenView,
  tokenIdParams,
  tokenListView,
  whoamiView,
} from './schemas.js';
import type { TokenLevel } from './token-level.js';

function tokenRoutes(deps: ScopedDeps, level: TokenLevel): RouteSpec[] {
  const prefix = level === 'agency' ? '/api/v1/agency/service-tokens' : '/api/v1/tenant/service-tokens';
  const access = { permission: level === 'agency' ? 'agency.service_tokens.manage' : 'tenant.service_tokens.manage' } as const;
  return [
    defineRoute({
      method: 'post', path: prefix, tag: level, scope: level, access, status: 201,
      summary: 'Issue a service token (shown once)',
      body: level === 'agency' ? createAgencyTokenBody : createTenantTokenBody, response: issuedTokenView,
      handler: ({ req, body }) => createServiceToken(deps, { actor: actorFrom(req), level, ...body }),
    }),
    defineRoute({
      method: 'get', path: prefix, tag: level, scope: level, access,
      summary: 'List service tokens (never their secrets)',
      query: emptyQuery, response: tokenListView,
      handler: async ({ req }) => ({ serviceTokens: await listServiceTokens(deps, { actor: actorFrom(req), level }) }),
    }),
    defineRoute({
      method: 'post', path: `${prefix}/:tokenId/rotate`, tag: level, scope: level, access, status: 201,
      summary: 'Rotate: a new token with the same permissions; the old one is revoked',
      params: tokenIdParams, body: emptyBody, response: issuedTokenView,
      handler: ({ req, params }) => rotateServiceToken(deps, { actor: actorFrom(req), level, tokenId: params.tokenId }),
    }),
    defineRoute({
      method: 'post', path: `${prefix}/:tokenId/revoke`, tag: level, scope: level, access,
      summary: 'Revoke a service token',
      params: tokenIdParams, body: emptyBody, response: serviceTokenView,
      handler: ({ req, params }) => revokeServiceToken(deps, { actor: actorFrom(req), level, tokenId: params.tokenId }),
    }),
  ];
}

export function serviceTokenRoutes(deps: ScopedDeps): RouteSpec[] {
  return [
    ...tokenRoutes(deps, 'agency'),
    ...tokenRoutes(deps, 'tenant'),
    defineRoute({
      method: 'get', path: '/api/v1/service/whoami', tag: 'service', scope: 'any',
      summary: 'Who this service token is (the n8n credential test)',
      access: { authenticated: true, kinds: ['service'] },
      query: emptyQuery, response: whoamiView,
      handler: ({ req }) => {
        const principal = actorFrom(req).principal;
        if (principal.kind !== 'service') return undefined;
        return {
          kind: principal.kind,
          tokenId: principal.tokenId,
          agencyId: principal.agencyId,
          tenantId: principal.tenantId ?? null,
          actingForTenant: principal.actingForTenant ?? false,
          permissions: [...principal.permissions],
        };
      },
    }),
  ];
}
