import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { AppError } from '../../http/errors.js';
import { describeWait } from './sign-in-backoff.js';

type Window = { max: number; windowSeconds: number };
export type ResetRequestLimits = { perAccount: Window; perAddress: Window };

export const DEFAULT_RESET_REQUEST_LIMITS: ResetRequestLimits = {
  perAccount: { max: 3, windowSeconds: 60 * 60 },
  perAddress: { max: 10, windowSeconds: 15 * 60 },
};

/**
 * Password-reset requests in fixed Redis windows. The address limit answers 429 (it says nothing about
 * any account); the account limit is silent: the caller gets the usual 202 and no more mail is sent,
 * so a mailbox cannot be flooded and the answer never tells whether the account exists.
 */
export class ResetRequestLimit {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly limits: ResetRequestLimits = DEFAULT_RESET_REQUEST_LIMITS,
  ) {}

  /** Counts a request from this address; 429 with Retry-After once the address is over its limit. */
  async countAddress(address: string | null): Promise<void> {
    const { count, ttlMs } = await this.count(`${this.prefix}:reset-requests:address:${address ?? 'unknown'}`, this.limits.perAddress);
    if (count <= this.limits.perAddress.max) return;
    const retryAfterSeconds = Math.max(1, Math.ceil(ttlMs / 1000));
    throw new AppError(
      'TOO_MANY_REQUESTS',
      `Too many password reset requests from your address. Try again in ${describeWait(retryAfterSeconds)}.`,
      { reason: 'reset_requests_throttled', retryAfterSeconds },
      { 'Retry-After': String(retryAfterSeconds) },
    );
  }

  /** Counts a request for this e-mail (known or not); false once its mail budget is used up. */
  async countAccount(email: string): Promise<boolean> {
    const hash = createHash('sha256').update(email.trim().toLowerCase()).digest('hex');
    const { count } = await this.count(`${this.prefix}:reset-requests:account:${hash}`, this.limits.perAccount);
    return count <= this.limits.perAccount.max;
  }

  private async count(key: string, window: Window): Promise<{ count: number; ttlMs: number }> {
    const results = await this.redis.multi().incr(key).expire(key, window.windowSeconds, 'NX').pttl(key).exec();
    return { count: Number(results?.[0]?.[1] ?? 0), ttlMs: Number(results?.[2]?.[1] ?? window.windowSeconds * 1000) };
  }
}
