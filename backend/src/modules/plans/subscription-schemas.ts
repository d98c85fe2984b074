import { z } from 'zod';
import { isoDateTime, uuid } from '../../http/schemas.js';

export const tenantParams = z.strictObject({ tenantId: uuid });

/** What agency staff do by hand: assign (billed outside Switchboard), comp (free) or grant a trial. */
export const assignSubscriptionBody = z.strictObject({
  kind: z.enum(['manual', 'comped', 'trial']).describe('manual: billed outside Switchboard; comped: free of charge; trial: trialing until trial end'),
  planId: uuid.describe("The plan (its current version is assigned)"),
  interval: z.enum(['month', 'year']).default('month'),
  trialDays: z.number().int().min(1).max(365).optional().describe("Trials only. Default: the plan's trial days, else 14"),
}).refine((body) => body.kind === 'trial' || body.trialDays === undefined, { message: 'trialDays is for trials only', path: ['trialDays'] });
export type AssignSubscriptionBody = z.infer<typeof assignSubscriptionBody>;

export const subscriptionView = z.object({
  id: uuid,
  tenantId: uuid,
  plan: z.object({ id: uuid, name: z.string(), versionId: uuid, version: z.number().int() }),
  status: z.enum(['trialing', 'active', 'past_due', 'unpaid', 'canceled', 'paused', 'incomplete']),
  billing: z.enum(['stripe', 'manual', 'comped']),
  interval: z.enum(['month', 'year']),
  currentPeriodStart: isoDateTime,
  currentPeriodEnd: isoDateTime,
  trialEnd: isoDateTime.nullable(),
  cancelAtPeriodEnd: z.boolean(),
  updatedAt: isoDateTime,
});
export type SubscriptionView = z.infer<typeof subscriptionView>;
export const subscriptionResult = z.object({ subscription: subscriptionView });
