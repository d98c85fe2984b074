import { z } from 'zod';
import { isoDateTime, pagination, uuid } from '../../http/schemas.js';

export const tenantHealthQuery = z.strictObject({ ...pagination });

const tenantBillingView = z.object({
  plan: z.object({ id: uuid, name: z.string(), version: z.number().int() }).nullable(),
  status: z.enum(['none', 'trialing', 'active', 'past_due', 'restricted', 'canceled'])
    .describe('restricted: past due after the grace period, unpaid or paused; none: no subscription (or an unpaid first Checkout)'),
  billing: z.enum(['stripe', 'manual', 'comped']).nullable(),
  interval: z.enum(['month', 'year']).nullable(),
  mrrMinor: z.number().int().nonnegative()
    .describe('Monthly recurring revenue, minor units: the monthly price, or the yearly price / 12 rounded half up; 0 for trials, comped, restricted-unpaid, paused, canceled'),
  currency: z.string().nullable(),
  pastDue: z.boolean().describe('A payment is overdue (past_due or unpaid)'),
  graceUntil: isoDateTime.nullable().describe('Past due within the grace: when service is restricted'),
});

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
  billing: tenantBillingView.nullable().describe('The plan/billing column; null unless the caller manages billing (agency.tenants.manage)'),
});

const mrrTotalsView = z.object({
  currency: z.string().describe("The agency's currency (ISO 4217, lowercase)"),
  mrrMinor: z.number().int().nonnegative().describe('Total MRR in that currency, minor units'),
  otherCurrencies: z.array(z.object({ currency: z.string(), mrrMinor: z.number().int().nonnegative() }))
    .describe('Plans priced in another currency, summed apart (never converted)'),
});
export const tenantHealthListView = z.object({
  tenants: z.array(tenantHealthView),
  mrr: mrrTotalsView.nullable().describe('Over every tenant of the agency (not just this page); null unless the caller manages billing'),
});
