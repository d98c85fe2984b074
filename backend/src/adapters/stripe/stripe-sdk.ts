import Stripe from 'stripe';

// What the payments adapter (payment links) and the billing adapter (plans, subscriptions) share about the
// official Stripe SDK: how a client is made for a key (and for the fake Stripe in tests), and how the SDK's
// errors are classified. Each adapter turns the classification into its own port's error type.

export type StripeSdkOptions = {
  /** Only changed for the fake Stripe in tests and demos (http://127.0.0.1:PORT). */
  apiBaseUrl?: string;
  timeoutMs: number;
  /** Stripe's own retries (safe: writes carry an idempotency key). */
  maxNetworkRetries?: number;
};

export function stripeClient(secretKey: string, options: StripeSdkOptions): Stripe {
  const base = options.apiBaseUrl ? new URL(options.apiBaseUrl) : undefined;
  return new Stripe(secretKey, {
    timeout: options.timeoutMs,
    maxNetworkRetries: options.maxNetworkRetries ?? 1,
    ...(base && {
      host: base.hostname,
      port: Number(base.port || (base.protocol === 'https:' ? 443 : 80)),
      protocol: base.protocol === 'https:' ? 'https' : 'http',
    }),
  });
}

export type StripeFailure = { reason: 'invalid_key' | 'rejected' | 'unavailable' | 'not_found'; message: string; providerMessage: string };

/** The SDK's error as a reason and a sentence; undefined for anything that is not a Stripe error. */
export function classifyStripeError(err: unknown): StripeFailure | undefined {
  if (!(err instanceof Stripe.errors.StripeError)) return undefined;
  const providerMessage = err.message;
  switch (err.type) {
    case 'StripeAuthenticationError':
    case 'StripePermissionError':
      return { reason: 'invalid_key', message: 'Stripe refused the secret key', providerMessage };
    case 'StripeInvalidRequestError':
      return err.statusCode === 404
        ? { reason: 'not_found', message: 'Stripe does not know this object', providerMessage }
        : { reason: 'rejected', message: 'Stripe rejected the request', providerMessage };
    case 'StripeCardError':
    case 'StripeIdempotencyError':
      return { reason: 'rejected', message: 'Stripe rejected the request', providerMessage };
    default:
      return { reason: 'unavailable', message: 'Stripe could not be reached or failed', providerMessage };
  }
}
