import { z } from 'zod';
import { actorFrom } from '../../http/request-context.js';
import { defineRoute, type RouteSpec } from '../../http/route-registry.js';
import { emptyQuery, isoDateTime } from '../../http/schemas.js';
import type { CredentialDeps } from '../provider-credentials/load-credentials.js';
import { deleteCloudAccount, getCloudAccount, saveCloudAccount } from './cloud-account.js';

const putBody = z.strictObject({
  accessToken: z.string().trim().min(20).max(1000),
  appSecret: z.string().trim().regex(/^[a-f0-9]{32}$/i, 'must be the app secret (32 hex characters) that signs webhooks'),
  verifyToken: z.string().trim().min(8).max(200),
  phoneNumberId: z.string().trim().regex(/^\d{5,32}$/, 'must be the numeric phone number id from WhatsApp Manager'),
  displayNumber: z.string().trim().regex(/^\+[1-9]\d{6,14}$/, 'must be the E.164 number, e.g. +14155550100'),
});
const accountView = z.object({
  provider: z.literal('whatsapp_cloud'), phoneNumberId: z.string(), displayNumber: z.string(), accessTokenLast4: z.string(),
  webhookPath: z.string(), updatedAt: isoDateTime,
});

export function whatsappCloudRoutes(deps: CredentialDeps): RouteSpec[] {
  const path = '/api/v1/tenant/providers/whatsapp-cloud';
  return [
    defineRoute({
      method: 'put', path, tag: 'providers', scope: 'tenant',
      summary: "Connect or replace the tenant's WhatsApp Cloud API number (secrets stored encrypted, never returned)",
      access: { permission: 'tenant.settings.manage' }, body: putBody, response: accountView,
      handler: ({ req, body }) => saveCloudAccount(deps, { actor: actorFrom(req), ...body }),
    }),
    defineRoute({
      method: 'get', path, tag: 'providers', scope: 'tenant',
      summary: 'The connected WhatsApp Cloud API number and the webhook path to give Meta',
      access: { permission: 'tenant.settings.manage' }, query: emptyQuery, response: accountView,
      handler: ({ req }) => getCloudAccount(deps, { actor: actorFrom(req) }),
    }),
    defineRoute({
      method: 'delete', path, tag: 'providers', scope: 'tenant',
      summary: 'Disconnect the WhatsApp Cloud API number',
      access: { permission: 'tenant.settings.manage' },
      handler: async ({ req }) => {
        await deleteCloudAccount(deps, { actor: actorFrom(req) });
      },
    }),
  ];
}
