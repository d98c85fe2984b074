// Port: a billing provider that holds the agency's catalogue (Stripe Billing): one product per plan, one
// recurring price per plan version and interval. Secrets arrive per call: each agency brings its own account.
export type BillingCredentials = { secretKey: string };
export type BillingInterval = 'month' | 'year';

export type ProductInput = {
  name: string;
  description: string;
  metadata: Record<string, string>;
  /** Same key, same product: passed to the provider's own idempotency. */
  idempotencyKey: string;
};

export type RecurringPriceInput = {
  productId: string;
  currency: string;
  /** Integer minor units (cents). */
  unitAmountMinor: number;
  interval: BillingInterval;
  metadata: Record<string, string>;
  idempotencyKey: string;
};

export type BillingFailureReason = 'invalid_key' | 'rejected' | 'unavailable' | 'not_found';

export class BillingError extends Error {
  constructor(
    readonly reason: BillingFailureReason,
    message: string,
    readonly providerMessage?: string,
  ) {
    super(message);
    this.name = 'BillingError';
  }
}

export interface BillingPort {
  readonly provider: string;
  /** One cheap authenticated read: resolves when the key works, BillingError 'invalid_key' when it does not. */
  verifyKey(credentials: BillingCredentials): Promise<void>;
  createProduct(credentials: BillingCredentials, input: ProductInput): Promise<{ productId: string }>;
  /** Name, description and whether it can still be bought (archiving sets active false). */
  updateProduct(credentials: BillingCredentials, productId: string, input: { name: string; description: string; active: boolean }): Promise<void>;
  createRecurringPrice(credentials: BillingCredentials, input: RecurringPriceInput): Promise<{ priceId: string }>;
  /** Prices are immutable: a changed amount is a new price and the old one is archived (active false). */
  archivePrice(credentials: BillingCredentials, priceId: string): Promise<void>;
}
