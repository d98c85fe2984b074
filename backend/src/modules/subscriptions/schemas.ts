import { z } from 'zod';
import { isoDateTime, uuid } from '../../http/schemas.js';
import { entitlementsSchema } from '../plans/entitlements.js';

export const choosePlanBody = z.strictObject({
  planId: uuid.describe("One of the agency's plans (its current version is bought)"),
  interval: z.enum(['month', 'year']).default('month'),
});
export type ChoosePlanBody = z.infer<typeof choosePlanBody>;

const status = z.enum(['trialing', 'active', 'past_due', 'unpaid', 'canceled', 'paused', 'incomplete']);

export const billingView = z.object({
  subscription: z.object({
    id: uuid,
    status,
    billing: z.enum(['stripe', 'manual', 'comped']),
    interval: z.enum(['month', 'year']),
    plan: z.object({ id: uuid, name: z.string(), versionId: uuid, version: z.number().int() }),
    currentPeriodStart: isoDateTime,
    currentPeriodEnd: isoDateTime,
    nextPaymentAt: isoDateTime.nullable().describe('When Stripe charges next; null when nothing more will be charged (canceling, canceled, not billed by Stripe)'),
    trialEnd: isoDateTime.nullable(),
    trialDaysLeft: z.number().int().nullable(),
    cancelAtPeriodEnd: z.boolean(),
    pastDueSince: isoDateTime.nullable(),
  }).nullable(),
  entitlements: entitlementsSchema.nullable(),
  banner: z.object({
    kind: z.enum(['past_due', 'restricted']),
    graceUntil: isoDateTime.nullable(),
    message: z.string(),
  }).nullable(),
  plans: z.array(z.object({
    id: uuid, name: z.string(), description: z.string(), currency: z.string(), versionId: uuid, version: z.number().int(),
    monthlyPriceMinor: z.number().int(), yearlyPriceMinor: z.number().int().nullable(), trialDays: z.number().int(),
    entitlements: entitlementsSchema, current: z.boolean(), payableOnline: z.boolean(),
  })),
  payments: z.object({ online: z.boolean().describe('The agency takes payments through Stripe'), customerPortal: z.boolean() }),
});
export type BillingView = z.infer<typeof billingView>;

export const redirectResult = z.object({ url: z.url() });

export const invoiceList = z.object({
  invoices: z.array(z.object({
    id: z.string(), number: z.string().nullable(), date: isoDateTime, amountMinor: z.number().int(), amountPaidMinor: z.number().int(),
    currency: z.string(), status: z.enum(['draft', 'open', 'paid', 'uncollectible', 'void']), hostedUrl: z.string().nullable(), pdfUrl: z.string().nullable(),
  })),
});
