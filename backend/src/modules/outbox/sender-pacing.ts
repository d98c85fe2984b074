import type { Redis } from 'ioredis';
import type { Transaction } from 'sequelize';
import { queryOne } from '../../db/sql.js';
import type { Channel } from '../../ports/messaging.js';

/**
 * Per-sender pacing shared by every worker process: Redis keeps each sender's next free slot, read
 * and moved by one Lua script on Redis's own clock, so workers on different hosts agree.
 */
export type SenderPacer = {
  /** Takes the sender's next slot if it is at most `maxWaitMs` away: wait that long, then send. */
  reserve(senderKey: string, intervalMs: number, maxWaitMs: number): Promise<{ reserved: boolean; waitMs: number }>;
  /**
   * Right before the provider call: how much longer to wait so this send is at least `intervalMs` after
   * the sender's previous send (a slot only says when to start; the claim in between takes time). Records
   * the send, and pushes the sender's next slot back when this one runs late.
   */
  confirm(senderKey: string, intervalMs: number): Promise<number>;
  /** The provider said "slow down": no slot before `pauseMs` from now. */
  pause(senderKey: string, pauseMs: number): Promise<void>;
};

const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local slot = math.max(now, tonumber(redis.call('GET', KEYS[1]) or '0'))
local wait = slot - now
if wait > tonumber(ARGV[2]) then return {0, wait} end
local interval = tonumber(ARGV[1])
redis.call('SET', KEYS[1], slot + interval, 'PX', wait + interval + 60000)
return {1, wait}`;

const CONFIRM = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local at = math.max(now, tonumber(redis.call('GET', KEYS[1]) or '0') + interval)
redis.call('SET', KEYS[1], at, 'PX', at - now + interval + 60000)
if at + interval > tonumber(redis.call('GET', KEYS[2]) or '0') then
  redis.call('SET', KEYS[2], at + interval, 'PX', at - now + interval + 60000)
end
return at - now`;

const PAUSE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local until_ = now + tonumber(ARGV[1])
if until_ > tonumber(redis.call('GET', KEYS[1]) or '0') then
  redis.call('SET', KEYS[1], until_, 'PX', tonumber(ARGV[1]) + 60000)
end
return 1`;

export function redisSenderPacer(redis: Redis, prefix = 'sb:pacing'): SenderPacer {
  return {
    async reserve(senderKey, intervalMs, maxWaitMs) {
      const [reserved, waitMs] = (await redis.eval(RESERVE, 1, `${prefix}:${senderKey}`, Math.ceil(intervalMs), Math.floor(maxWaitMs))) as [
        number,
        number,
      ];
      return { reserved: reserved === 1, waitMs: Number(waitMs) };
    },
    async confirm(senderKey, intervalMs) {
      const key = `${prefix}:${senderKey}`;
      return Number(await redis.eval(CONFIRM, 2, `${key}:sent`, key, Math.ceil(intervalMs)));
    },
    async pause(senderKey, pauseMs) {
      await redis.eval(PAUSE, 1, `${prefix}:${senderKey}`, Math.ceil(pauseMs));
    },
  };
}

export function senderKey(input: { tenantId: string; channel: Channel; from: string }): string {
  return `${input.tenantId}:${input.channel}:${input.from}`;
}

/** The tenant's configured pace for this sender (or its channel default), if any. */
export async function findConfiguredPacing(
  tx: Transaction,
  input: { tenantId: string; channel: Channel; from: string },
): Promise<number | undefined> {
  const row = await queryOne<{ mps: string }>(
    tx,
    `SELECT messages_per_second AS mps FROM sender_pacing
     WHERE tenant_id = :tenantId AND channel = :channel AND (sender = :from OR sender IS NULL)
     ORDER BY sender NULLS LAST LIMIT 1`,
    input,
  );
  return row ? Number(row.mps) : undefined;
}
