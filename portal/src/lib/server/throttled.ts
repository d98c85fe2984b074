import type { ApiError } from './api-error.js';

/** "Too many sign-in attempts. Try again in 2 minutes." from a 429's details.retryAfterSeconds (also sent as Retry-After). */
export function throttledMessage(err: ApiError, what: string): string {
  const seconds = Number((err.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds);
  if (!Number.isFinite(seconds) || seconds <= 0) return `Too many ${what}. Wait a minute, then try again.`;
  const wait = seconds < 90 ? `${Math.ceil(seconds)} second${seconds === 1 ? '' : 's'}` : `${Math.ceil(seconds / 60)} minutes`;
  return `Too many ${what}. Try again in ${wait}.`;
}
