import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { AppError } from '../../http/errors.js';
import { describeWait } from '../auth/sign-in-backoff.js';

type Window = { max: number; windowSeconds: number };
export type SignupRequestLimits = { perAddress: Window; perEmail: Window };

// A business signs up once; a few retries (typo in the address, mail in spam) fit comfortably.
export const DEFAULT_SIGNUP_REQUEST_LIMITS: SignupRequestLimits = {
  perAddress: { max: 10, windowSeconds: 60 * 60 },
  perEmail: { max: 3, windowSeconds: 60 * 60 },
};

/**
 * Sign-up requests in fixed Redis windows (as password reset requests), per client address and per e-mail
 * address. Both answer 429 with Retry-After: the e-mail limit counts every address, known or not, so it tells
 * nothing about accounts, and it stops anyone from flooding someone's mailbox with verification mail.
 */
export class SignupRequestLimit {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly limits: SignupRequestLimits = DEFAULT_SIGNUP_REQUEST_LIMITS,
  ) {}

  async countAddress(address: string | null): Promise<void> {
    await this.count(`address:${address ?? 'unknown'}`, this.limits.perAddress, 'from your address');
  }

  async countEmail(email: string): Promise<void> {
    const hash = createHash('sha256').update(email.trim().toLowerCase()).digest('hex');
    await this.count(`email:${hash}`, this.limits.perEmail, 'for this e-mail address');
  }

  private async count(key: string, window: Window, what: string): Promise<void> {
    const full = `${this.prefix}:signup-requests:${key}`;
    const results = await this.redis.multi().incr(full).expire(full, window.windowSeconds, 'NX').pttl(full).exec();
    const count = Number(results?.[0]?.[1] ?? 0);
    if (count <= window.max) return;
    const ttlMs = Number(results?.[2]?.[1] ?? window.windowSeconds * 1000);
    const retryAfterSeconds = Math.max(1, Math.ceil(ttlMs / 1000));
    throw new AppError(
      'TOO_MANY_REQUESTS',
      `Too many sign-up requests ${what}. Try again in ${describeWait(retryAfterSeconds)}.`,
      { reason: 'signup_requests_throttled', retryAfterSeconds },
      { 'Retry-After': String(retryAfterSeconds) },
    );
  }
}
