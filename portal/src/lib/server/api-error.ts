import type { FieldIssue } from './api-types.js';

/** Codes the backend sends, plus three raised here when no usable answer came back. */
export type KnownApiErrorCode =
  | 'VALIDATION_FAILED'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'CONSENT_REQUIRED'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'LIMIT_EXCEEDED'
  | 'PAYMENT_REQUIRED' // 402: a plan limit, a feature not in the plan, or restricted for non-payment (details.code)
  | 'TOO_MANY_REQUESTS'
  | 'INTERNAL'
  | 'DEPENDENCY_UNAVAILABLE'
  | 'BACKEND_UNREACHABLE' // connection refused, DNS failure, reset
  | 'BACKEND_TIMEOUT' // no complete answer within the timeout
  | 'BAD_RESPONSE'; // an answer that is not the JSON we expect

/** Known codes still autocomplete; a newer backend may send one this portal does not know yet. */
export type ApiErrorCode = KnownApiErrorCode | (string & Record<never, never>);

/** A failed backend call: either the backend's own error envelope or a transport failure. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    /** The backend's HTTP status, or 502/503/504 when it gave no usable answer. */
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: unknown,
    readonly requestId?: string,
  ) {
    super(message);
  }

  /** The backend could not be asked at all (down, unreachable or too slow). */
  get isUnavailable(): boolean {
    return this.code === 'BACKEND_UNREACHABLE' || this.code === 'BACKEND_TIMEOUT';
  }

  /** First message per field of a VALIDATION_FAILED error, keyed by field ("body.email" -> "email"). */
  fieldErrors(): Record<string, string> {
    const errors: Record<string, string> = {};
    if (this.code !== 'VALIDATION_FAILED' || !Array.isArray(this.details)) return errors;
    for (const issue of this.details as FieldIssue[]) {
      if (typeof issue?.path !== 'string' || typeof issue.message !== 'string') continue;
      const field = issue.path.replace(/^(body|query|params)\./, '');
      errors[field] ??= issue.message;
    }
    return errors;
  }
}
