// Usage: migrate [up|down|status]. Runs as the owner role (MIGRATION_DATABASE_URL).
import { loadConfig } from '../config.js';
import { createMigrator } from '../db/migrator.js';
import { createSequelize } from '../db/sequelize.js';
import { createLogger } from '../logger.js';

const command = process.argv[2] ?? 'up';
const config = loadConfig();
const logger = createLogger({ logLevel: config.logLevel === 'info' ? 'warn' : config.logLevel }, 'switchboard-migrate');
const sequelize = createSequelize(config.database.migrationUrl, logger, { poolMax: 1 });
const migrator = createMigrator(sequelize, logger);

try {
  if (command === 'up') {
    const applied = await migrator.up();
    console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.map((m) => m.name).join(', ')}` : 'Database is up to date.');
  } else if (command === 'down') {
    const reverted = await migrator.down();
    console.log(reverted.length ? `Reverted ${reverted[0]!.name}` : 'Nothing to revert.');
  } else if (command === 'status') {
    const [done, pending] = await Promise.all([migrator.executed(), migrator.pending()]);
    for (const m of done) console.log(`  applied  ${m.name}`);
    for (const m of pending) console.log(`  pending  ${m.name}`);
  } else {
    console.error(`Unknown command "${command}". Use: up | down | status`);
    process.exitCode = 2;
  }
} catch (err) {
  console.error(`Migration failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  await sequelize.close();
}
