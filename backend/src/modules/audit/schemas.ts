import { z } from 'zod';
import { isoDateTime, pagination, uuid } from '../../http/schemas.js';

const filters = {
  action: z.string().max(100).optional(),
  actorType: z.enum(['user', 'service', 'system', 'anonymous']).optional(),
  actorId: z.string().max(200).optional(),
  targetType: z.string().max(64).optional(),
  targetId: z.string().max(200).optional(),
  from: isoDateTime.optional(),
  to: isoDateTime.optional(),
};
export const tenantAuditQuery = z.strictObject({ ...filters, ...pagination });
export const agencyAuditQuery = z.strictObject({ ...filters, tenantId: uuid.optional(), ...pagination });
const exportFields = { format: z.enum(['csv', 'json']).default('json'), limit: z.coerce.number().int().min(1).max(10_000).default(10_000) };
export const tenantAuditExportQuery = z.strictObject({ ...filters, ...exportFields });
export const agencyAuditExportQuery = z.strictObject({ ...filters, tenantId: uuid.optional(), ...exportFields });

export const auditEventView = z.object({
  id: uuid,
  chainKey: z.string(),
  seq: z.number().int(),
  agencyId: uuid,
  tenantId: uuid.nullable(),
  actorType: z.string(),
  actorId: z.string().nullable(),
  actingAsTenantId: uuid.nullable(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  requestId: z.string().nullable(),
  ip: z.string().nullable(),
  createdAt: isoDateTime,
  prevHash: z.string(),
  hash: z.string(),
  actorName: z.string().nullable().describe('The acting person or automation token, by name (null when unknown)'),
  targetName: z.string().nullable().describe('What was acted on, by name, when it is a person, business, contact, agent, invitation or token'),
});
export const auditListView = z.object({ events: z.array(auditEventView) });
export const verificationView = z.object({
  ok: z.boolean(),
  checkedEvents: z.number().int(),
  chains: z.number().int(),
  firstBroken: z.object({ chainKey: z.string(), seq: z.number().int(), eventId: uuid.nullable(), reason: z.string() }).nullable(),
});
