import { z } from 'zod';
import { isoDateTime } from '../../http/schemas.js';

export const currencyCode = z.string().trim().toLowerCase().regex(/^[a-z]{3}$/, 'Enter a three-letter currency code, e.g. usd or eur');

export const connectStripeBody = z.strictObject({
  secretKey: z.string().trim().regex(/^(sk|rk)_(test|live)_\w+$/, 'Enter a Stripe secret key (sk_test_..., sk_live_... or rk_...)').max(255),
  /** Omit to keep the saved one; null removes it. */
  webhookSecret: z.string().trim().regex(/^whsec_\w+$/, 'Enter a Stripe webhook signing secret (whsec_...)').max(255).nullable().optional(),
  currency: currencyCode.optional().describe('The currency of new plans (default usd)'),
  graceDays: z.number().int().min(0).max(90).optional().describe('Days a past-due subscription keeps service (default 7)'),
});
export type ConnectStripeBody = z.infer<typeof connectStripeBody>;

// Never a secret: the key's last 4 characters only.
export const billingAccountView = z.object({
  source: z.enum(['agency', 'environment', 'none']).describe("Whose Stripe account plans are mirrored to: the agency's own, the installation's STRIPE_SECRET_KEY, or none"),
  secretKeyLast4: z.string().nullable(),
  mode: z.enum(['test', 'live']).nullable(),
  webhookConfigured: z.boolean(),
  currency: z.string(),
  graceDays: z.number().int(),
  selfSignupEnabled: z.boolean(),
  updatedAt: isoDateTime.nullable(),
});
export type BillingAccountView = z.infer<typeof billingAccountView>;
