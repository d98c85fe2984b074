import Stripe from 'stripe';
import {
  PaymentsError,
  type PaymentLinkRequest,
  type PaymentsCredentials,
  type PaymentsPort,
  type PaymentWebhookEvent,
  type ProviderPaymentLink,
} from '../../ports/payments.js';
import { classifyStripeError, stripeClient, type StripeSdkOptions } from '../stripe/stripe-sdk.js';

export type StripePaymentsOptions = StripeSdkOptions;

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
    return stripeClient(credentials.secretKey, this.options);
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
  const failure = classifyStripeError(err);
  return failure ? new PaymentsError(failure.reason, failure.message, failure.providerMessage) : err;
}
