import { createHmac, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/** What a signed-in browser session remembers; everything else is re-read from the database per request. */
export type SessionData = {
  userId: string;
  createdAt: number;
  /** The tenant membership the user chose (switch-tenant). */
  tenantId?: string;
  /** Agency staff acting as one of the agency's tenants (audited). */
  actingAs?: { tenantId: string; agencyId: string };
};

/** `key` identifies the session server-side (logs, audit, principal.sessionId); the raw id is only in the cookie. */
export type Session = SessionData & { key: string };

// Sessions live at most this long even when used continuously.
const ABSOLUTE_LIFETIME_MS = 30 * 24 * 3600 * 1000;

/**
 * Server-side sessions in Redis. The cookie carries a random id; Redis stores the session under an
 * HMAC of it (so a Redis dump holds no usable cookies, and rotating SESSION_SECRET signs everyone out).
 * A per-user set of session keys makes "log out everywhere" and "revoke on password reset" possible.
 */
export class RedisSessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly secret: string,
    private readonly ttlSeconds: number,
  ) {}

  keyOf(id: string): string {
    return createHmac('sha256', this.secret).update(`session:${id}`).digest('hex');
  }

  async create(data: Omit<SessionData, 'createdAt'>): Promise<{ id: string; session: Session }> {
    const id = randomBytes(32).toString('base64url');
    const session: Session = { ...data, createdAt: Date.now(), key: this.keyOf(id) };
    await this.redis
      .multi()
      .set(sessionKey(session.key), JSON.stringify(toData(session)), 'EX', this.ttlSeconds)
      .sadd(userSessionsKey(data.userId), session.key)
      .expire(userSessionsKey(data.userId), ABSOLUTE_LIFETIME_MS / 1000)
      .exec();
    return { id, session };
  }

  /** The session for a cookie id, with its idle timeout renewed; undefined when unknown or expired. */
  async read(id: string): Promise<Session | undefined> {
    return this.readByKey(this.keyOf(id));
  }

  async readByKey(key: string): Promise<Session | undefined> {
    const raw = await this.redis.get(sessionKey(key));
    if (!raw) return undefined;
    const data = JSON.parse(raw) as SessionData;
    if (Date.now() - data.createdAt > ABSOLUTE_LIFETIME_MS) {
      await this.destroy({ ...data, key });
      return undefined;
    }
    await this.redis.expire(sessionKey(key), this.ttlSeconds);
    return { ...data, key };
  }

  async update(session: Session): Promise<void> {
    await this.redis.set(sessionKey(session.key), JSON.stringify(toData(session)), 'EX', this.ttlSeconds, 'XX');
  }

  async destroy(session: Pick<Session, 'key' | 'userId'>): Promise<void> {
    await this.redis.multi().del(sessionKey(session.key)).srem(userSessionsKey(session.userId), session.key).exec();
  }

  /** Ends every session of the user (optionally keeping one); returns how many were ended. */
  async destroyAllForUser(userId: string, options: { exceptKey?: string } = {}): Promise<number> {
    const keys = (await this.redis.smembers(userSessionsKey(userId))).filter((key) => key !== options.exceptKey);
    if (keys.length === 0) return 0;
    await this.redis
      .multi()
      .del(...keys.map(sessionKey))
      .srem(userSessionsKey(userId), ...keys)
      .exec();
    return keys.length;
  }
}

function toData(session: Session): SessionData {
  const { key: _key, ...data } = session;
  return data;
}

function sessionKey(key: string): string {
  return `sb:session:${key}`;
}

function userSessionsKey(userId: string): string {
  return `sb:user-sessions:${userId}`;
}
