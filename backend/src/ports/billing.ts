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

export interface BillingPort extends SubscriptionBillingPort {
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

// Subscriptions (Checkout, Customer Portal, webhooks). Times are Dates; amounts integer minor units.
export type BillingSubscriptionStatus = 'incomplete' | 'incomplete_expired' | 'trialing' | 'active' | 'past_due' | 'unpaid' | 'canceled' | 'paused';

/** What Switchboard keeps of a Stripe subscription: the state a webhook or reconcile converges on. */
export type BillingSubscription = {
  id: string;
  customerId: string;
  status: BillingSubscriptionStatus;
  priceId: string;
  interval: BillingInterval;
  currentPeriodStart: Date;
  currentPeriodEnd: Date;
  cancelAtPeriodEnd: boolean;
  trialEnd: Date | null;
  metadata: Record<string, string>;
  created: Date;
};

export type BillingInvoice = {
  id: string;
  number: string | null;
  createdAt: Date;
  amountDueMinor: number;
  amountPaidMinor: number;
  currency: string;
  status: 'draft' | 'open' | 'paid' | 'uncollectible' | 'void';
  hostedUrl: string | null;
  pdfUrl: string | null;
};

export type CheckoutSessionInput = {
  customerId: string;
  priceId: string;
  trialDays: number;
  clientReferenceId: string;
  metadata: Record<string, string>;
  successUrl: string;
  cancelUrl: string;
};

/** A verified webhook: its id, type and the object it carries (as Stripe sent it). */
export type BillingWebhookEvent = { id: string; type: string; created: Date; object: Record<string, unknown> };

export interface SubscriptionBillingPort {
  createCustomer(credentials: BillingCredentials, input: { name: string; email?: string; metadata: Record<string, string>; idempotencyKey: string }): Promise<{ customerId: string }>;
  createCheckoutSession(credentials: BillingCredentials, input: CheckoutSessionInput): Promise<{ id: string; url: string }>;
  createPortalSession(credentials: BillingCredentials, input: { customerId: string; returnUrl: string }): Promise<{ url: string }>;
  retrieveSubscription(credentials: BillingCredentials, subscriptionId: string): Promise<BillingSubscription>;
  listInvoices(credentials: BillingCredentials, input: { customerId: string; limit: number }): Promise<BillingInvoice[]>;
  /** A new price (Stripe prorates: create_prorations) and/or cancel at period end (false resumes). */
  updateSubscription(credentials: BillingCredentials, subscriptionId: string, input: { priceId?: string; cancelAtPeriodEnd?: boolean }): Promise<BillingSubscription>;
  /** Ends the subscription now. */
  cancelSubscription(credentials: BillingCredentials, subscriptionId: string): Promise<BillingSubscription>;
  /** Stripe-Signature over the raw body (the SDK's constructEvent, 5-minute tolerance); BillingError 'rejected' when it does not verify. */
  verifyWebhook(payload: Buffer, signature: string, secret: string): BillingWebhookEvent;
}
