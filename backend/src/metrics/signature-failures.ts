import type { ErrorRequestHandler } from 'express';
import { AppError } from '../http/errors.js';
import { webhookSignatureFailures } from './metrics.js';

/**
 * Mounted last in a provider's webhook router: every 403 the router's routes throw (bad signature,
 * secret token or verify token) is counted for that provider, then handled as usual.
 */
export function countSignatureFailures(provider: 'twilio' | 'whatsapp-cloud' | 'telegram' | 'stripe'): ErrorRequestHandler {
  return (err, _req, _res, next) => {
    if (err instanceof AppError && err.code === 'FORBIDDEN') webhookSignatureFailures.inc({ provider });
    next(err);
  };
}
