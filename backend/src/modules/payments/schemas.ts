import { z } from 'zod';
import { isoDateTime, uuid } from '../../http/schemas.js';

export const paymentLinkIdParams = z.strictObject({ paymentLinkId: uuid });

export const createPaymentLinkBody = z
  .strictObject({
    amount: z.number().int().min(50).max(99_999_999).optional().describe('Minor units (cents)'),
    currency: z.string().regex(/^[A-Za-z]{3}$/, 'an ISO 4217 code, e.g. usd').transform((c) => c.toLowerCase()).optional(),
    description: z.string().trim().min(1).max(250).optional(),
    priceId: z.string().regex(/^price_\w{1,90}$/, 'a Stripe price id (price_...)').optional(),
    quantity: z.number().int().min(1).max(999).default(1),
    contactId: uuid.optional(),
    metadata: z.record(z.string().regex(/^\w{1,40}$/), z.string().max(500)).refine((m) => Object.keys(m).length <= 20, 'at most 20 keys').default({}),
  })
  .refine((b) => (b.priceId === undefined) === (b.amount !== undefined && b.currency !== undefined && b.description !== undefined), {
    message: 'give either priceId, or amount + currency + description (all three)',
    path: ['priceId'],
  })
  .refine((b) => b.priceId === undefined || (b.amount === undefined && b.currency === undefined && b.description === undefined), {
    message: 'priceId excludes amount, currency and description',
    path: ['priceId'],
  });

export const paymentLinkView = z.object({
  id: uuid,
  provider: z.string(),
  providerLinkId: z.string(),
  url: z.string(),
  active: z.boolean(),
  amount: z.number().int().nullable(),
  currency: z.string().nullable(),
  description: z.string().nullable(),
  priceId: z.string(),
  quantity: z.number().int(),
  contactId: uuid.nullable(),
  metadata: z.record(z.string(), z.string()),
  createdAt: isoDateTime,
  refreshed: z.boolean().optional().describe('GET only: whether `active` was just read from Stripe'),
});

export const putStripeAccountBody = z.strictObject({
  secretKey: z.string().regex(/^(sk|rk)_(test|live)_\w{8,}$/, 'must be a Stripe secret or restricted key (sk_test_..., sk_live_..., rk_...)'),
  /** The signing secret of the webhook endpoint https://<domain>/webhooks/stripe/<tenant id> in this Stripe account. */
  webhookSecret: z.string().regex(/^whsec_\w{8,}$/, 'must be a Stripe webhook signing secret (whsec_...)').optional(),
});

export const stripeAccountView = z.object({
  provider: z.literal('stripe'),
  secretKeyLast4: z.string(),
  mode: z.enum(['test', 'live']),
  webhookConfigured: z.boolean(),
  updatedAt: isoDateTime,
});
