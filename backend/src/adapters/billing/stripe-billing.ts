import Stripe from 'stripe';
import {
  BillingError,
  type BillingCredentials,
  type BillingPort,
  type ProductInput,
  type RecurringPriceInput,
} from '../../ports/billing.js';

export type StripeBillingOptions = {
  /** Only changed for the fake Stripe in tests and demos (http://127.0.0.1:PORT). */
  apiBaseUrl?: string;
  timeoutMs: number;
  /** Stripe's own retries (safe: every write carries an idempotency key). */
  maxNetworkRetries?: number;
};

/**
 * The agency's catalogue in its own Stripe account, over the official SDK. Creations carry idempotency
 * keys derived from our ids (plan:<id>:product, plan-version:<id>:month), so a retried sync finds the
 * product and prices it made before instead of making new ones.
 */
export class StripeBilling implements BillingPort {
  readonly provider = 'stripe';

  constructor(private readonly options: StripeBillingOptions) {}

  async verifyKey(credentials: BillingCredentials): Promise<void> {
    const stripe = this.client(credentials);
    await withStripeErrors(() => stripe.products.list({ limit: 1 }));
  }

  async createProduct(credentials: BillingCredentials, input: ProductInput): Promise<{ productId: string }> {
    const stripe = this.client(credentials);
    const product = await withStripeErrors(() =>
      stripe.products.create(
        { name: input.name, ...(input.description && { description: input.description }), metadata: input.metadata },
        { idempotencyKey: input.idempotencyKey },
      ),
    );
    return { productId: product.id };
  }

  async updateProduct(credentials: BillingCredentials, productId: string, input: { name: string; description: string; active: boolean }): Promise<void> {
    const stripe = this.client(credentials);
    // An empty string unsets Stripe's description.
    await withStripeErrors(() => stripe.products.update(productId, { name: input.name, description: input.description, active: input.active }));
  }

  async createRecurringPrice(credentials: BillingCredentials, input: RecurringPriceInput): Promise<{ priceId: string }> {
    const stripe = this.client(credentials);
    const price = await withStripeErrors(() =>
      stripe.prices.create(
        {
          product: input.productId, currency: input.currency.toLowerCase(), unit_amount: input.unitAmountMinor,
          recurring: { interval: input.interval }, metadata: input.metadata,
        },
        { idempotencyKey: input.idempotencyKey },
      ),
    );
    return { priceId: price.id };
  }

  async archivePrice(credentials: BillingCredentials, priceId: string): Promise<void> {
    const stripe = this.client(credentials);
    await withStripeErrors(() => stripe.prices.update(priceId, { active: false }));
  }

  private client(credentials: BillingCredentials): Stripe {
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
    throw toBillingError(err);
  }
}

function toBillingError(err: unknown): unknown {
  if (!(err instanceof Stripe.errors.StripeError)) return err;
  const providerMessage = err.message;
  switch (err.type) {
    case 'StripeAuthenticationError':
    case 'StripePermissionError':
      return new BillingError('invalid_key', 'Stripe refused the secret key', providerMessage);
    case 'StripeInvalidRequestError':
      return err.statusCode === 404
        ? new BillingError('not_found', 'Stripe does not know this object', providerMessage)
        : new BillingError('rejected', 'Stripe rejected the request', providerMessage);
    case 'StripeIdempotencyError':
      return new BillingError('rejected', 'Stripe rejected the request', providerMessage);
    default:
      return new BillingError('unavailable', 'Stripe could not be reached or failed', providerMessage);
  }
}
