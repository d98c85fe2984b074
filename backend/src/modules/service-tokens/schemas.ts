import { z } from 'zod';
import { isoDateTime, uuid } from '../../http/schemas.js';
import { PERMISSIONS } from '../auth/permissions.js';

export const tokenIdParams = z.strictObject({ tokenId: uuid });
const tokenFields = {
  name: z.string().trim().min(1).max(100),
  permissions: z.array(z.enum(PERMISSIONS)).min(1).max(PERMISSIONS.length),
};
export const createTenantTokenBody = z.strictObject(tokenFields);
export const createAgencyTokenBody = z.strictObject({ ...tokenFields, tenantId: uuid.optional() });

export const serviceTokenView = z.object({
  id: uuid,
  agencyId: uuid,
  tenantId: uuid.nullable(),
  name: z.string(),
  permissions: z.array(z.enum(PERMISSIONS)),
  createdByType: z.string(),
  createdById: z.string(),
  lastUsedAt: isoDateTime.nullable(),
  revokedAt: isoDateTime.nullable(),
  replacedById: uuid.nullable(),
  createdAt: isoDateTime,
});
export const issuedTokenView = z.object({
  serviceToken: serviceTokenView,
  token: z.string().describe('The full token (sbt_<id>_<secret>). Shown once; store it now.'),
});
export const tokenListView = z.object({ serviceTokens: z.array(serviceTokenView) });
export const whoamiView = z.object({
  kind: z.literal('service'),
  tokenId: uuid,
  agencyId: uuid,
  tenantId: uuid.nullable(),
  actingForTenant: z.boolean(),
  permissions: z.array(z.enum(PERMISSIONS)),
});
