import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { QueryInterface, Sequelize } from 'sequelize';
import { SequelizeStorage, Umzug } from 'umzug';
import type { Logger } from '../logger.js';

export type MigrationContext = { queryInterface: QueryInterface; sequelize: Sequelize };
export type Migration = {
  up: (ctx: MigrationContext) => Promise<void>;
  down: (ctx: MigrationContext) => Promise<void>;
};

const migrationsDir = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

// Migration files are named NNNN-what-it-does.ts (or .js once built); order is the file name's.
function listMigrationFiles(): string[] {
  return readdirSync(migrationsDir)
    .filter((f) => /^\d{4}-.+\.(ts|js)$/.test(f) && !f.endsWith('.d.ts'))
    .sort();
}

/** The migrations this build ships, by name (what schema_migrations records once each has run). */
export function migrationNames(): string[] {
  return listMigrationFiles().map((file) => file.replace(/\.(ts|js)$/, ''));
}

export function createMigrator(sequelize: Sequelize, logger: Logger): Umzug<MigrationContext> {
  return new Umzug<MigrationContext>({
    migrations: listMigrationFiles().map((file) => ({
      name: file.replace(/\.(ts|js)$/, ''),
      up: async ({ context }) => ((await import(pathToFileURL(join(migrationsDir, file)).href)) as Migration).up(context),
      down: async ({ context }) =>
        ((await import(pathToFileURL(join(migrationsDir, file)).href)) as Migration).down(context),
    })),
    context: { queryInterface: sequelize.getQueryInterface(), sequelize },
    storage: new SequelizeStorage({ sequelize, tableName: 'schema_migrations' }),
    logger: {
      info: (event) => logger.info(event, 'migration'),
      warn: (event) => logger.warn(event, 'migration'),
      error: (event) => logger.error(event, 'migration'),
      debug: (event) => logger.debug(event, 'migration'),
    },
  });
}
