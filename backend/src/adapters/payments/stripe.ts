import Stripe from 'stripe';
import {
  PaymentsError,
  type PaymentLinkRequest,
  type PaymentsCredentials,
  type PaymentsPort,
  type PaymentWebhookEvent,
  type ProviderPaymentLink,
} from '../../ports/payments.js';

export type StripePaymentsOptions = {
  /** Only changed for the fake Stripe in tests and demos (http://127.0.0.1:PORT). */
  apiBaseUrl?: string;
  timeoutMs: number;
  /** Stripe's own retries (safe: writes carry an idempotency key). */
  maxNetworkRetries?: number;
};

/**
 * Payment links over the official SDK. A link needs a price: for an amount we create a one-off price
 * with inline product data first. Every write carries an idempotency key derived from ours, so a
 * retried request (ours or the SDK's) cannot create a second link.
 */
export class StripePayments implements PaymentsPort {
  readonly provider = 'stripe';

  constructor(private readonly options: StripePaymentsOptions) {}

  async createPaymentLink(credentials: PaymentsCredentials, request: PaymentLinkRequest): Promise<ProviderPaymentLink> {
    const stripe = this.client(credentials);
    const key = request.idempotencyKey;
    return withStripeErrors(async () => {
      const priceId =
        'priceId' in request.item
          ? request.item.priceId
          : (
              await stripe.prices.create(
                { currency: request.item.currency, unit_amount: request.item.amount, product_data: { name: request.item.description } },
                key ? { idempotencyKey: `${key}:price` } : undefined,
              )
            ).id;
      const link = await stripe.paymentLinks.create(
        { line_items: [{ price: priceId, quantity: request.quantity }], metadata: request.metadata },
        key ? { idempotencyKey: `${key}:link` } : undefined,
      );
      return { providerLinkId: link.id, url: link.url, active: link.active, priceId };
    });
  }

  verifyWebhook(payload: Buffer, signature: string, secret: string): PaymentWebhookEvent {
    try {
      // Stripe-Signature: t=<timestamp>,v1=<HMAC-SHA256 of "t.payload">; the SDK also rejects stale timestamps (5 min).
      const event = Stripe.webhooks.constructEvent(payload, signature, secret);
      return { id: event.id, type: event.type, occurredAt: new Date(event.created * 1000), object: event.data.object as unknown as Record<string, unknown> };
    } catch (err) {
      throw new PaymentsError('rejected', 'Stripe webhook signature does not verify', (err as Error).message);
    }
  }

  async getPaymentLink(credentials: PaymentsCredentials, providerLinkId: string): Promise<ProviderPaymentLink> {
    const stripe = this.client(credentials);
    return withStripeErrors(async () => {
      const link = await stripe.paymentLinks.retrieve(providerLinkId, { expand: ['line_items'] });
      const price = link.line_items?.data[0]?.price;
      return { providerLinkId: link.id, url: link.url, active: link.active, priceId: price?.id ?? '' };
    });
  }

  private client(credentials: PaymentsCredentials): Stripe {
    const base = this.options.apiBaseUrl ? new URL(this.options.apiBaseUrl) : undefined;
    return new Stripe(credentials.secretKey, {
      timeout: this.options.timeoutMs,
      maxNetworkRetries: this.options.maxNetworkRetries ?? 1,
      ...(base && {
        host: base.hostname,
        port: Number(base.port || (base.protocol === 'https:' ? 443 : 80)),
        protocol: base.protocol === 'https:' ? 'https' : 'http',
      }),
    });
  }
}

async function withStripeErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw toPaymentsError(err);
  }
}

function toPaymentsError(err: unknown): unknown {
  if (!(err instanceof Stripe.errors.StripeError)) return err;
  const providerMessage = err.message;
  switch (err.type) {
    case 'StripeAuthenticationError':
    case 'StripePermissionError':
      return new PaymentsError('invalid_key', 'Stripe refused the secret key', providerMessage);
    case 'StripeInvalidRequestError':
      return err.statusCode === 404
        ? new PaymentsError('not_found', 'Stripe does not know this object', providerMessage)
        : new PaymentsError('rejected', 'Stripe rejected the request', providerMessage);
    case 'StripeCardError':
    case 'StripeIdempotencyError':
      return new PaymentsError('rejected', 'Stripe rejected the request', providerMessage);
    default:
      return new PaymentsError('unavailable', 'Stripe could not be reached or failed', providerMessage);
  }
}
