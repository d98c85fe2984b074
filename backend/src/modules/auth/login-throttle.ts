import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { AppError } from '../../http/errors.js';

export type ThrottleLimits = {
  account: { maxFailures: number; windowSeconds: number };
  ip: { maxFailures: number; windowSeconds: number };
};

export const DEFAULT_LOGIN_LIMITS: ThrottleLimits = {
  account: { maxFailures: 5, windowSeconds: 15 * 60 },
  ip: { maxFailures: 20, windowSeconds: 15 * 60 },
};

/**
 * Counts failed logins per account (the e-mail typed, whether or not it exists) and per client IP in
 * fixed Redis windows that start at the first failure. A success clears the account's counter.
 */
export class LoginThrottle {
  constructor(
    private readonly redis: Redis,
    private readonly limits: ThrottleLimits = DEFAULT_LOGIN_LIMITS,
  ) {}

  /** Throws 429 with Retry-After when either counter is at its limit. */
  async assertAllowed(email: string, ip: string | null): Promise<void> {
    const checks = [{ key: accountKey(email), max: this.limits.account.maxFailures, what: 'this account' }];
    if (ip) checks.push({ key: ipKey(ip), max: this.limits.ip.maxFailures, what: 'your network address' });
    for (const check of checks) {
      const failures = Number((await this.redis.get(check.key)) ?? 0);
      if (failures < check.max) continue;
      const retryAfter = Math.max(1, Math.ceil((await this.redis.pttl(check.key)) / 1000));
      throw new AppError(
        'TOO_MANY_REQUESTS',
        `Too many failed sign-in attempts for ${check.what}. Try again in ${Math.ceil(retryAfter / 60)} minute(s).`,
        { retryAfterSeconds: retryAfter },
        { 'Retry-After': String(retryAfter) },
      );
    }
  }

  async recordFailure(email: string, ip: string | null): Promise<void> {
    const tx = this.redis.multi();
    tx.incr(accountKey(email)).expire(accountKey(email), this.limits.account.windowSeconds, 'NX');
    if (ip) tx.incr(ipKey(ip)).expire(ipKey(ip), this.limits.ip.windowSeconds, 'NX');
    await tx.exec();
  }

  async clearAccount(email: string): Promise<void> {
    await this.redis.del(accountKey(email));
  }
}

// Hashed so e-mail addresses do not sit in Redis in clear text.
function accountKey(email: string): string {
  return `sb:login-failures:account:${createHash('sha256').update(email.trim().toLowerCase()).digest('hex')}`;
}

function ipKey(ip: string): string {
  return `sb:login-failures:ip:${ip}`;
}
