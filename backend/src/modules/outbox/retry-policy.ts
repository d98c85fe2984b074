export type RetryPolicy = {
  /** Provider attempts before a message is dead (each committed `sending` counts). */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
};

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 2_000, maxDelayMs: 10 * 60_000 };

/**
 * Exponential backoff with "equal jitter": half the delay is fixed, half random, so a burst of
 * failures (a provider outage) does not come back as a synchronized burst of retries.
 */
export function retryDelayMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + (exponential / 2) * random());
}
