import { AppError, providerError, providerUnreachable } from '../../http/errors.js';
import { BillingError } from '../../ports/billing.js';

/** Runs a Stripe call for a person waiting on it: a Stripe failure becomes a 502/503 naming the reason, never a 500. */
export async function callStripe<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (!(err instanceof BillingError)) throw err;
    if (err.reason === 'unavailable') throw providerUnreachable('stripe', 'Stripe could not be reached; try again shortly');
    if (err.reason === 'not_found') throw new AppError('CONFLICT', 'Stripe no longer knows this subscription', { reason: 'stripe_not_found' });
    throw providerError('stripe', 'Stripe refused the request', { reason: err.reason, providerMessage: err.providerMessage });
  }
}
