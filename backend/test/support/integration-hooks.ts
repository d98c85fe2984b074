import type { RootHookObject } from 'mocha';
import { createMigrator } from '../../src/db/migrator.js';
import { createSequelize } from '../../src/db/sequelize.js';
import { createLogger } from '../../src/logger.js';
import { startProviderFakes, stopProviderFakes } from './provider-fakes.js';
import { createTestDatabase, deleteStaleTestRedisKeys, deleteTestRedisKeys, type TestDatabase } from './test-database.js';

// One fresh, migrated database for the whole integration run, and its own Redis key prefix; both removed at the end.
let database: TestDatabase | undefined;

export function testDatabase(): TestDatabase {
  if (!database) throw new Error('the integration test database is not ready (root hook did not run)');
  return database;
}

export const mochaHooks: RootHookObject = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(60_000);
    await deleteStaleTestRedisKeys();
    database = await createTestDatabase();
    const sequelize = createSequelize(database.ownerUrl, createLogger({ logLevel: 'silent' }));
    await createMigrator(sequelize, createLogger({ logLevel: 'silent' })).up();
    await sequelize.close();
    await startProviderFakes();
  },
  async afterAll() {
    await stopProviderFakes();
    await deleteTestRedisKeys();
    if (database && !process.env.KEEP_TEST_DATABASE) await database.drop();
  },
};
