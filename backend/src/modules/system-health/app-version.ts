import { createRequire } from 'node:module';
import type { Transaction } from 'sequelize';
import { migrationNames } from '../../db/migrator.js';
import { queryRows } from '../../db/sql.js';

// backend/package.json: three folders up from src/modules/system-health and from dist/modules/system-health alike.
export const APP_VERSION = (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;

/** pendingMigrations: null when the database could not be asked. */
export type VersionStatus = { app: string; pendingMigrations: string[] | null; detail: string };

/** This build's version, and the migrations it ships that the database has not run yet (an upgrade half done). */
export async function readVersionStatus(tx: Transaction): Promise<VersionStatus> {
  const applied = new Set((await queryRows<{ name: string }>(tx, 'SELECT name FROM schema_migrations')).map((row) => row.name));
  const pendingMigrations = migrationNames().filter((name) => !applied.has(name));
  const detail = pendingMigrations.length === 0
    ? 'The database schema is up to date'
    : `Upgrade pending: ${pendingMigrations.length} migration${pendingMigrations.length === 1 ? '' : 's'} not applied`;
  return { app: APP_VERSION, pendingMigrations, detail };
}
