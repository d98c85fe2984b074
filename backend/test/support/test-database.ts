import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { dropDatabase, provisionDatabase } from '../../src/db/provision.js';

// Real PostgreSQL: a fresh database per test run, owned by a migration role, used through a non-owner app role.
export const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const BASE_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/15';

/**
 * Runs share one Redis database, so each run keeps its keys (sessions, login throttles, OAuth states)
 * under its own prefix, deleted when the run ends: a rerun, or a run in parallel, never sees another
 * run's failure counters. ioredis reads `keyPrefix` from the URL's query.
 */
export const TEST_REDIS_KEY_PREFIX = `sb-test:${Date.now().toString(36)}-${randomBytes(3).toString('hex')}:`;
export const TEST_REDIS_URL = withKeyPrefix(BASE_REDIS_URL, TEST_REDIS_KEY_PREFIX);

function withKeyPrefix(redisUrl: string, prefix: string): string {
  const url = new URL(redisUrl);
  url.searchParams.set('keyPrefix', prefix);
  return url.toString();
}

const STALE_AFTER_MS = 24 * 3600 * 1000;

/** Deletes every key of this run (a plain connection: SCAN patterns ignore ioredis' keyPrefix). */
export function deleteTestRedisKeys(): Promise<number> {
  return deleteKeys((key) => key.startsWith(TEST_REDIS_KEY_PREFIX));
}

/** Deletes the keys of runs that started over a day ago and never cleaned up (killed runs). */
export function deleteStaleTestRedisKeys(now = Date.now()): Promise<number> {
  return deleteKeys((key) => {
    const started = parseInt(/^sb-test:([0-9a-z]+)-/.exec(key)?.[1] ?? '', 36);
    return Number.isFinite(started) && now - started > STALE_AFTER_MS;
  });
}

async function deleteKeys(matches: (key: string) => boolean): Promise<number> {
  const redis = new Redis(BASE_REDIS_URL, { maxRetriesPerRequest: 1 });
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', 'sb-test:*', 'COUNT', 1000);
      const ours = keys.filter(matches);
      if (ours.length > 0) deleted += await redis.del(...ours);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}

export type TestDatabase = { name: string; ownerUrl: string; appUrl: string; drop: () => Promise<void> };

function urlFor(role: string, password: string, database: string): string {
  const url = new URL(ADMIN_URL);
  url.username = role;
  url.password = password;
  url.pathname = `/${database}`;
  return url.toString();
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `sb_test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const owner = { name: 'sb_test_owner', password: 'sb_test_owner' };
  const app = { name: 'sb_test_app', password: 'sb_test_app' };
  await provisionDatabase({ adminUrl: ADMIN_URL, database: name, owner, app });
  return {
    name,
    ownerUrl: urlFor(owner.name, owner.password, name),
    appUrl: urlFor(app.name, app.password, name),
    drop: () => dropDatabase(ADMIN_URL, name),
  };
}
