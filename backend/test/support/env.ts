import { randomBytes } from 'node:crypto';

// One encryption key per test process, so fixtures can sign what the app verifies (web chat sessions).
const ENCRYPTION_KEY = randomBytes(32);

export function testEncryptionKey(): Buffer {
  return ENCRYPTION_KEY;
}

/** A complete, valid environment for the backend's config; tests override what they exercise. */
export function validEnv(overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    PUBLIC_URL: 'https://switchboard.test',
    DATABASE_URL: 'postgres://app@127.0.0.1:5432/switchboard',
    REDIS_URL: 'redis://127.0.0.1:6379/0',
    SESSION_SECRET: randomBytes(32).toString('base64'),
    CLIENT_ADDRESS_SECRET: randomBytes(32).toString('base64'),
    // supertest stands in for the proxy: test browsers tell their address in X-Forwarded-For.
    TRUSTED_PROXIES: 'loopback',
    ENCRYPTION_KEY: ENCRYPTION_KEY.toString('base64'),
    // The route matrices call the public web chat many times a minute from one address.
    WEB_CHAT_RATE_PER_MINUTE: '100000',
    // ...and ask for password resets from one address (identity tests set the real limit where they test it).
    RESET_REQUESTS_PER_ADDRESS: '100000',
    ...overrides,
  };
}
