import { z } from 'zod';
import { isoDateTime, pagination, uuid } from '../../http/schemas.js';

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export const tenantIdParams = z.strictObject({ tenantId: uuid });
export const createTenantBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  slug: z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$/, 'lowercase letters, digits and dashes (2-80)'),
  timeZone: z.string().max(64).refine(isTimeZone, 'must be an IANA time zone, e.g. Europe/Berlin'),
});
export const suspendTenantBody = z.strictObject({ reason: z.string().trim().min(3).max(500) });
export const listTenantsQuery = z.strictObject({ status: z.enum(['active', 'suspended']).optional(), ...pagination });

export const tenantView = z.object({
  id: uuid,
  agencyId: uuid,
  name: z.string(),
  slug: z.string(),
  timeZone: z.string(),
  status: z.enum(['active', 'suspended']),
  suspendedAt: isoDateTime.nullable(),
  suspendedReason: z.string().nullable(),
  createdAt: isoDateTime,
});
export const tenantListView = z.object({ tenants: z.array(tenantView) });
