import { randomBytes } from 'node:crypto';
import { dropDatabase, provisionDatabase } from '../../src/db/provision.js';

// Real PostgreSQL: a fresh database per test run, owned by a migration role, used through a non-owner app role.
export const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/15';

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
