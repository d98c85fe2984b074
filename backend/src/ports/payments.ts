// Port: a payment provider that makes hosted payment links (Stripe). Secrets arrive per call: each
// tenant may bring its own account.
export type PaymentsCredentials = { secretKey: string };

export type PaymentLinkItem =
  | { priceId: string }
  | { amount: number; currency: string; description: string };

export type PaymentLinkRequest = {
  item: PaymentLinkItem;
  quantity: number;
  metadata: Record<string, string>;
  /** Same key, same link: passed to the provider's own idempotency. */
  idempotencyKey?: string;
};

export type ProviderPaymentLink = {
  providerLinkId: string;
  url: string;
  active: boolean;
  priceId: string;
};

export type PaymentsFailureReason = 'invalid_key' | 'rejected' | 'unavailable' | 'not_found';

export class PaymentsError extends Error {
  constructor(
    readonly reason: PaymentsFailureReason,
    message: string,
    readonly providerMessage?: string,
  ) {
    super(message);
    this.name = 'PaymentsError';
  }
}

/** A provider webhook event, signature verified. */
export type PaymentWebhookEvent = { id: string; type: string; occurredAt: Date; object: Record<string, unknown> };

export interface PaymentsPort {
  readonly provider: string;
  /** Checks the webhook signature over the raw body (PaymentsError 'rejected' when it does not verify). */
  verifyWebhook(payload: Buffer, signature: string, secret: string): PaymentWebhookEvent;
  createPaymentLink(credentials: PaymentsCredentials, request: PaymentLinkRequest): Promise<ProviderPaymentLink>;
  getPaymentLink(credentials: PaymentsCredentials, providerLinkId: string): Promise<ProviderPaymentLink>;
}
