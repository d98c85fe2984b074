import { z } from 'zod';
import { isoDateTime, uuid } from '../../http/schemas.js';
import { currencyCode } from '../billing-account/schemas.js';
import { entitlementsSchema } from './entitlements.js';

// Money in integer minor units (cents). Stripe's own ceiling for unit_amount is 99,999,999.
export const MAX_PRICE_MINOR = 99_999_999;
const priceMinor = z.number().int('Prices are whole minor units (cents)').min(0).max(MAX_PRICE_MINOR);
const trialDays = z.number().int().min(0).max(730);
const name = z.string().trim().min(1, 'Enter a name').max(100);
const description = z.string().trim().max(1000);

export const planParams = z.strictObject({ id: uuid });

export const createPlanBody = z.strictObject({
  name,
  description: description.default(''),
  currency: currencyCode.optional().describe("Default: the agency's currency"),
  monthlyPriceMinor: priceMinor,
  yearlyPriceMinor: priceMinor.nullable().default(null),
  trialDays: trialDays.default(0),
  entitlements: entitlementsSchema,
});
export type CreatePlanBody = z.infer<typeof createPlanBody>;

export const updatePlanBody = z.strictObject({
  name: name.optional(),
  description: description.optional(),
  monthlyPriceMinor: priceMinor.optional(),
  yearlyPriceMinor: priceMinor.nullable().optional(),
  trialDays: trialDays.optional(),
  entitlements: entitlementsSchema.optional(),
}).refine((body) => Object.keys(body).length > 0, 'Change at least one field');
export type UpdatePlanBody = z.infer<typeof updatePlanBody>;

export const moveSubscribersBody = z.strictObject({
  fromVersion: z.number().int().min(1).optional().describe('Only subscribers of this version (default: every older version)'),
});

const syncStatus = z.enum(['pending', 'synced', 'not_connected', 'failed']);

export const planVersionView = z.object({
  id: uuid,
  version: z.number().int(),
  monthlyPriceMinor: z.number().int(),
  yearlyPriceMinor: z.number().int().nullable(),
  trialDays: z.number().int(),
  entitlements: entitlementsSchema,
  stripeMonthlyPriceId: z.string().nullable(),
  stripeYearlyPriceId: z.string().nullable(),
  stripeSync: z.object({ status: syncStatus, error: z.string().nullable() }),
  subscriberCount: z.number().int(),
  createdAt: isoDateTime,
});
export type PlanVersionView = z.infer<typeof planVersionView>;

export const planView = z.object({
  id: uuid,
  name: z.string(),
  description: z.string(),
  currency: z.string(),
  stripeProductId: z.string().nullable(),
  archivedAt: isoDateTime.nullable(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  stripeSync: z.object({ status: syncStatus, error: z.string().nullable() }).describe('The worst of its versions: failed, pending, not_connected, synced'),
  subscriberCount: z.number().int().describe('Subscribers over all versions'),
  current: planVersionView,
  versions: z.array(planVersionView).describe('Newest first'),
});
export type PlanView = z.infer<typeof planView>;

export const planResult = z.object({ plan: planView });
export const planList = z.object({ plans: z.array(planView) });
export const updatePlanResult = z.object({
  plan: planView,
  outcome: z.enum(['unchanged', 'edited_in_place', 'new_version']).describe('new_version: the old version had subscribers and keeps them'),
});
export const moveSubscribersResult = z.object({
  moved: z.number().int(),
  skipped: z.number().int().describe('Subscriptions billed through Stripe (moved through Stripe, not here)'),
  toVersion: z.number().int(),
});
