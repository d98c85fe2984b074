import { z } from 'zod';
import { isoDateTime, pagination, uuid } from '../../http/schemas.js';

export const tenantHealthQuery = z.strictObject({ ...pagination });

export const tenantHealthView = z.object({
  tenantId: uuid,
  name: z.string(),
  slug: z.string(),
  status: z.enum(['active', 'suspended']),
  channels: z.array(z.string()),
  messagesToday: z.number().int().nonnegative(),
  failuresToday: z.number().int().nonnegative().describe('Failed messages and failed automation executions today (tenant time)'),
  automationFailuresToday: z.number().int().nonnegative().describe('Automation executions (n8n) that failed today'),
  lastMessageAt: isoDateTime.nullable(),
});
export const tenantHealthListView = z.object({ tenants: z.array(tenantHealthView) });
