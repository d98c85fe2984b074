import { randomBytes } from 'node:crypto';
import type { Sequelize } from 'sequelize';
import { createMigrator } from '../../backend/src/db/migrator.js';
import { dropDatabase, provisionDatabase } from '../../backend/src/db/provision.js';
import { createSequelize } from '../../backend/src/db/sequelize.js';
import { createLogger } from '../../backend/src/logger.js';

// A fresh, migrated database per benchmark run: owned by a migration role, used by the API and the
// workers through a non-owner app role (row-level security applies, as in production). Dropped at the end.
export const ADMIN_URL = process.env.BENCH_DATABASE_ADMIN_URL ?? process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export type BenchDatabase = {
  name: string;
  /** The migration role (owns the tables; row-level security still binds it: FORCE). */
  ownerUrl: string;
  appUrl: string;
  /** Superuser connection to the bench database: arranges data and counts rows beneath row-level security. */
  admin: Sequelize;
  drop: () => Promise<void>;
};

function urlFor(role: { name: string; password: string } | undefined, database: string): string {
  const url = new URL(ADMIN_URL);
  if (role) {
    url.username = role.name;
    url.password = role.password;
  }
  url.pathname = `/${database}`;
  return url.toString();
}

export async function createBenchDatabase(): Promise<BenchDatabase> {
  const name = `sb_bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const owner = { name: 'sb_bench_owner', password: 'sb_bench_owner' };
  const app = { name: 'sb_bench_app', password: 'sb_bench_app' };
  await provisionDatabase({ adminUrl: ADMIN_URL, database: name, owner, app });
  const silent = createLogger({ logLevel: 'silent' });
  const ownerDb = createSequelize(urlFor(owner, name), silent);
  try {
    await createMigrator(ownerDb, silent).up();
  } finally {
    await ownerDb.close();
  }
  const admin = createSequelize(urlFor(undefined, name), silent, { poolMax: 3 });
  return {
    name,
    ownerUrl: urlFor(owner, name),
    appUrl: urlFor(app, name),
    admin,
    drop: async () => {
      await admin.close();
      if (!process.env.BENCH_KEEP_DATABASE) await dropDatabase(ADMIN_URL, name);
    },
  };
}
