import { z } from 'zod';
import { isoDateTime, uuid } from '../../http/schemas.js';
import { isValidEventPattern } from './event-type-filter.js';

export const subscriptionIdParams = z.strictObject({ subscriptionId: uuid });
const subscriptionFields = {
  url: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).max(2000),
  eventTypes: z
    .array(z.string().min(1).max(100).refine(isValidEventPattern, 'must be an event type, a wildcard like booking.* or *'))
    .min(1)
    .max(50),
  description: z.string().trim().min(1).max(200).optional(),
  secret: z.string().min(16).max(200).optional().describe('HMAC secret; generated (and returned once) when omitted'),
};
export const createTenantSubscriptionBody = z.strictObject(subscriptionFields);
export const createAgencySubscriptionBody = z.strictObject({
  ...subscriptionFields,
  tenantId: uuid.optional().describe("Only this tenant's events; agency-wide (all tenants) when omitted"),
});
export const deliveriesQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50) });

export const subscriptionView = z.object({
  id: uuid,
  agencyId: uuid,
  tenantId: uuid.nullable(),
  url: z.string(),
  eventTypes: z.array(z.string()),
  description: z.string().nullable(),
  createdByType: z.string(),
  createdById: z.string(),
  createdAt: isoDateTime,
});
export const createdSubscriptionView = z.object({
  subscription: subscriptionView,
  secret: z.string().describe('The signing secret. Shown once; store it now.'),
});
export const subscriptionListView = z.object({ subscriptions: z.array(subscriptionView) });
export const deliveryListView = z.object({
  deliveries: z.array(
    z.object({
      id: uuid,
      eventId: uuid,
      eventType: z.string(),
      status: z.enum(['pending', 'delivered', 'failed']),
      attempts: z.number().int(),
      lastStatusCode: z.number().int().nullable(),
      lastError: z.string().nullable(),
      nextAttemptAt: isoDateTime.nullable(),
      deliveredAt: isoDateTime.nullable(),
      createdAt: isoDateTime,
    }),
  ),
});
