import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { AppError } from '../../http/errors.js';
import { backoffScheduleMs, describeWait, type BackoffPolicy } from './sign-in-backoff.js';

/**
 * Sign-in throttling (docs/auth.md#throttling). Three counters, none of which can lock an account:
 * - account + address: progressive delays (the attacker's own address slows down, nobody else's);
 * - address: progressive delays across every account tried from it (password spraying);
 * - account: a soft limit. Once an account collects `underAttackAfter` failures in `accountWindowSeconds`
 *   from any addresses, addresses that have failed on it get their delays sooner (`pairUnderAttack`);
 *   an address that has not failed on it is always heard, so the owner can sign in from elsewhere.
 */
export type ThrottleLimits = {
  pair: BackoffPolicy;
  pairUnderAttack: BackoffPolicy;
  address: BackoffPolicy;
  underAttackAfter: number;
  accountWindowSeconds: number;
  /** How long counters are kept after the last failure. */
  memorySeconds: number;
};

export const DEFAULT_LOGIN_LIMITS: ThrottleLimits = {
  pair: { freeFailures: 5, baseSeconds: 30, maxSeconds: 15 * 60 },
  pairUnderAttack: { freeFailures: 2, baseSeconds: 30, maxSeconds: 15 * 60 },
  address: { freeFailures: 20, baseSeconds: 30, maxSeconds: 15 * 60 },
  underAttackAfter: 10,
  accountWindowSeconds: 15 * 60,
  memorySeconds: 60 * 60,
};

// Counts the attempt before the password is checked, so parallel guesses cannot slip past the check.
// KEYS: pair, address, account. ARGV: now ms, pair schedule, pair-under-attack schedule, address
// schedule (JSON, ms per failure), under-attack threshold, account window s, memory ms.
// Returns 0 when the attempt may go ahead, else the milliseconds to wait.
const CLAIM = `
local now = tonumber(ARGV[1])
local function waitMs(key)
  local untilMs = tonumber(redis.call('HGET', key, 'until') or '0')
  if untilMs > now then return untilMs - now end
  return 0
end
local wait = math.max(waitMs(KEYS[1]), waitMs(KEYS[2]))
if wait > 0 then return wait end
local accountFailures = redis.call('INCR', KEYS[3])
if accountFailures == 1 then redis.call('EXPIRE', KEYS[3], tonumber(ARGV[6])) end
local pairSchedule = ARGV[2]
if accountFailures > tonumber(ARGV[5]) then pairSchedule = ARGV[3] end
local function bump(key, scheduleJson)
  local schedule = cjson.decode(scheduleJson)
  local n = redis.call('HINCRBY', key, 'failures', 1)
  local delay = schedule[math.min(n, #schedule)]
  if delay > 0 then redis.call('HSET', key, 'until', now + delay) end
  redis.call('PEXPIRE', key, math.max(delay, tonumber(ARGV[7])))
end
bump(KEYS[1], pairSchedule)
bump(KEYS[2], ARGV[4])
return 0
`;

// A successful sign-in: the attempt counted by CLAIM was no failure. KEYS as CLAIM; ARGV: address free failures.
const RELEASE = `
redis.call('DEL', KEYS[1])
if redis.call('EXISTS', KEYS[2]) == 1 then
  local n = redis.call('HINCRBY', KEYS[2], 'failures', -1)
  if n < tonumber(ARGV[1]) then redis.call('HDEL', KEYS[2], 'until') end
end
if redis.call('EXISTS', KEYS[3]) == 1 then redis.call('DECR', KEYS[3]) end
return 0
`;

export class LoginThrottle {
  private readonly schedules: { pair: string; pairUnderAttack: string; address: string };

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly limits: ThrottleLimits = DEFAULT_LOGIN_LIMITS,
  ) {
    const json = (policy: BackoffPolicy) => JSON.stringify(backoffScheduleMs(policy));
    this.schedules = { pair: json(limits.pair), pairUnderAttack: json(limits.pairUnderAttack), address: json(limits.address) };
  }

  /**
   * Counts a sign-in attempt as a failure unless `succeeded` is called for it; throws 429 with
   * Retry-After (and details.retryAfterSeconds) while this account+address or this address must wait.
   */
  async claimAttempt(email: string, address: string | null): Promise<void> {
    const { limits, schedules } = this;
    const waitMs = Number(
      await this.redis.eval(CLAIM, 3, ...this.keysFor(email, address), Date.now(), schedules.pair, schedules.pairUnderAttack, schedules.address,
        limits.underAttackAfter, limits.accountWindowSeconds, limits.memorySeconds * 1000),
    );
    if (waitMs <= 0) return;
    const retryAfterSeconds = Math.max(1, Math.ceil(waitMs / 1000));
    throw new AppError(
      'TOO_MANY_REQUESTS',
      `Too many failed sign-in attempts. Try again in ${describeWait(retryAfterSeconds)}.`,
      { reason: 'sign_in_throttled', retryAfterSeconds },
      { 'Retry-After': String(retryAfterSeconds) },
    );
  }

  /** The claimed attempt signed in: forget this address's failures on the account. */
  async succeeded(email: string, address: string | null): Promise<void> {
    await this.redis.eval(RELEASE, 3, ...this.keysFor(email, address), this.limits.address.freeFailures);
  }

  /** After a password reset the account starts afresh (failures per address are kept). */
  async clearAccount(email: string): Promise<void> {
    await this.redis.del(this.keysFor(email, null)[2]);
  }

  private keysFor(email: string, address: string | null): [pair: string, address: string, account: string] {
    const account = accountHash(email);
    const where = address ?? 'unknown';
    const base = `${this.prefix}:signin`;
    return [`${base}:pair:${account}:${where}`, `${base}:address:${where}`, `${base}:account:${account}`];
  }
}

// Hashed so e-mail addresses do not sit in Redis in clear text.
function accountHash(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase()).digest('hex');
}
