import { randomBytes } from 'node:crypto';

/** A complete, valid environment for the backend's config; tests override what they exercise. */
export function validEnv(overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    PUBLIC_URL: 'https://switchboard.test',
    DATABASE_URL: 'postgres://app@127.0.0.1:5432/switchboard',
    REDIS_URL: 'redis://127.0.0.1:6379/0',
    SESSION_SECRET: randomBytes(32).toString('base64'),
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    ...overrides,
  };
}
