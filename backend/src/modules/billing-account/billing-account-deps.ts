import type { ScopedDeps } from '../../db/scoped-deps.js';
import type { BillingPort } from '../../ports/billing.js';

/** The billing provider and the env's agency-wide Stripe account (STRIPE_SECRET_KEY / STRIPE_WEBHOOK_SECRET). */
export type AgencyBillingDeps = {
  port: BillingPort;
  fallbackSecretKey?: string;
  fallbackWebhookSecret?: string;
};

export type BillingAccountDeps = ScopedDeps & { encryptionKey: Buffer; billing: AgencyBillingDeps };
