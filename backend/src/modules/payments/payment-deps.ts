import type { ScopedDeps } from '../../db/scoped-deps.js';
import { AppError } from '../../http/errors.js';
import { PaymentsError, type PaymentsPort } from '../../ports/payments.js';

export type PaymentDeps = ScopedDeps & {
  payments: PaymentsPort;
  encryptionKey: Buffer;
  /** Agency-wide STRIPE_SECRET_KEY, used for tenants without their own key. */
  fallbackSecretKey?: string;
};

/** Provider failures as operator-visible errors (`details.reason`). */
export function paymentsFailure(err: unknown): unknown {
  if (!(err instanceof PaymentsError)) return err;
  const details = { reason: `payments_${err.reason}`, providerMessage: err.providerMessage };
  if (err.reason === 'unavailable') return new AppError('DEPENDENCY_UNAVAILABLE', err.message, details);
  if (err.reason === 'invalid_key') return new AppError('UPSTREAM_FAILED', 'Stripe refused the secret key: reconnect the Stripe account', details);
  return new AppError('UPSTREAM_FAILED', err.message, { ...details, reason: 'payments_rejected' });
}
