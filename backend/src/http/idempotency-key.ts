import type { Request } from 'express';
import { z } from 'zod';
import { AppError } from './errors.js';

export const idempotencyKey = z.string().min(1).max(200).regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');

/** The Idempotency-Key header, or `fromBody` (both given: they must agree). */
export function idempotencyKeyOf(req: Request, fromBody?: string): string | undefined {
  const header = req.get('idempotency-key');
  if (header === undefined) return fromBody;
  const parsed = idempotencyKey.safeParse(header);
  if (!parsed.success || (fromBody !== undefined && fromBody !== header)) {
    const message = parsed.success ? 'differs from body.idempotencyKey' : parsed.error.issues[0]!.message;
    throw new AppError('VALIDATION_FAILED', 'The request is not valid', [{ path: 'headers.idempotency-key', message }]);
  }
  return header;
}
