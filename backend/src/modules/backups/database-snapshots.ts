// The switchboard and n8n databases are dumped from snapshots exported within milliseconds of each other
// (pg_export_snapshot in one REPEATABLE READ transaction per database, both opened before either dump
// starts), so the two dumps describe the same moment however long each dump takes. The same transactions
// compute each table's fingerprint, so the manifest describes exactly what the dumps hold.
import pg from 'pg';
import { runCommand } from './run-command.js';

export type TableFingerprint = { rows: number; checksum: string };
export type DatabaseFingerprint = Record<string, TableFingerprint>;

export type OpenSnapshot = { database: string; snapshotId: string; client: pg.Client };

function urlFor(superuserUrl: string, database: string): string {
  const url = new URL(superuserUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

// Row text depends on these session settings; backup and restore pin them so fingerprints compare.
const STABLE_TEXT = "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres'; SET extra_float_digits = 3; SET bytea_output = 'hex'";

export async function openSnapshots(superuserUrl: string, databases: string[]): Promise<OpenSnapshot[]> {
  const clients = databases.map((database) => ({ database, client: new pg.Client({ connectionString: urlFor(superuserUrl, database) }) }));
  try {
    await Promise.all(clients.map(({ client }) => client.connect()));
    await Promise.all(clients.map(({ client }) => client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')));
    // Taken back to back, after every connection is ready: the snapshots' moments differ by a round trip.
    const ids = await Promise.all(clients.map(({ client }) => client.query<{ id: string }>('SELECT pg_export_snapshot() AS id')));
    return clients.map(({ database, client }, i) => ({ database, client, snapshotId: ids[i]!.rows[0]!.id }));
  } catch (err) {
    await Promise.all(clients.map(({ client }) => client.end().catch(() => undefined)));
    throw err;
  }
}

export async function closeSnapshots(snapshots: OpenSnapshot[]): Promise<void> {
  await Promise.all(snapshots.map(({ client }) => client.query('COMMIT').then(() => client.end(), () => client.end())));
}

/** Row count and an order-independent checksum of every table in the database's public schema. */
export async function fingerprint(client: pg.Client): Promise<DatabaseFingerprint> {
  await client.query(STABLE_TEXT);
  const tables = await client.query<{ name: string }>(
    `SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`,
  );
  const result: DatabaseFingerprint = {};
  for (const { name } of tables.rows) {
    // The sum of each row's 128-bit hash (as two 64-bit halves, summed as numeric so nothing overflows): order-free,
    // constant memory however many rows (a concatenation of row hashes stops at PostgreSQL's 1 GB text limit).
    const { rows } = await client.query<{ rows: string; checksum: string }>(
      `SELECT count(*)::text AS rows,
              coalesce(sum(('x' || substr(h, 1, 16))::bit(64)::bigint::numeric), 0)::text || ':' ||
              coalesce(sum(('x' || substr(h, 17, 16))::bit(64)::bigint::numeric), 0)::text AS checksum
         FROM (SELECT md5(t::text) AS h FROM public.${name} t) AS hashed`,
    );
    result[name] = { rows: Number(rows[0]!.rows), checksum: rows[0]!.checksum };
  }
  return result;
}

export async function fingerprintDatabase(superuserUrl: string, database: string): Promise<DatabaseFingerprint> {
  const client = new pg.Client({ connectionString: urlFor(superuserUrl, database) });
  await client.connect();
  try {
    return await fingerprint(client);
  } finally {
    await client.end();
  }
}

/** pg_dump's custom format with CREATE DATABASE, owners and grants, read from the exported snapshot. */
export function dumpDatabase(superuserUrl: string, snapshot: OpenSnapshot, file: string): Promise<void> {
  return runCommand('pg_dump', ['--format=custom', '--create', `--snapshot=${snapshot.snapshotId}`, `--file=${file}`, `--dbname=${urlFor(superuserUrl, snapshot.database)}`]);
}

/**
 * Replaces the database with the dump: connections are ended, the database dropped and created again by
 * pg_restore --create (same owner and database grants as when it was dumped; those roles must exist).
 */
export async function restoreDatabase(superuserUrl: string, database: string, file: string): Promise<void> {
  const admin = new pg.Client({ connectionString: urlFor(superuserUrl, 'postgres') });
  await admin.connect();
  try {
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]);
    await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(database)} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
  await runCommand('pg_restore', ['--create', '--exit-on-error', `--dbname=${urlFor(superuserUrl, 'postgres')}`, file]);
}
