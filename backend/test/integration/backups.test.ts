// `make backup` / `make restore` on real PostgreSQL: both databases from one moment, every table back with the
// same row count and checksum, data folders and .env keys back, an off-site copy in an S3-compatible server
// (s3rver, started here, driven by the official AWS SDK), retention, and a wrong passphrase that changes nothing.
import { expect } from 'chai';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import pg from 'pg';
import S3rver from 's3rver';
import { loadBackupConfig, type BackupConfig } from '../../src/config.js';
import { createMigrator } from '../../src/db/migrator.js';
import { dropDatabase, provisionDatabase } from '../../src/db/provision.js';
import { createSequelize } from '../../src/db/sequelize.js';
import { createLogger } from '../../src/logger.js';
import { BackupDecryptionError } from '../../src/modules/backups/backup-crypto.js';
import { readBackupStatus } from '../../src/modules/backups/backup-status.js';
import { createBackup } from '../../src/modules/backups/create-backup.js';
import { fingerprintDatabase } from '../../src/modules/backups/database-snapshots.js';
import { createOffsiteClient } from '../../src/modules/backups/offsite-copy.js';
import { restoreBackup } from '../../src/modules/backups/restore-backup.js';
import { ADMIN_URL, createTestDatabase, type TestDatabase } from '../support/test-database.js';

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
const dbUrl = (database: string) => Object.assign(new URL(ADMIN_URL), { pathname: `/${database}` }).toString();
const count = (url: string, table: string) => withClient(url, async (c) => Number((await c.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n));

describe('backups: make backup and make restore', function () {
  this.timeout(120_000);
  let app: TestDatabase;
  let n8nDb: string;
  let dir: string;
  let s3: S3rver;
  let config: BackupConfig;
  const media = Buffer.alloc(1024 * 1024, 7);

  before(async () => {
    app = await createTestDatabase();
    const sequelize = createSequelize(app.ownerUrl, createLogger({ logLevel: 'silent' }));
    await createMigrator(sequelize, createLogger({ logLevel: 'silent' })).up();
    await sequelize.close();
    n8nDb = `${app.name}_n8n`;
    await provisionDatabase({ adminUrl: ADMIN_URL, database: n8nDb, owner: { name: 'sb_test_owner', password: 'sb_test_owner' } });
    // Data of every awkward kind in the app database (bytea, jsonb, timestamps, text beyond ASCII, row-level security).
    await withClient(app.ownerUrl, async (c) => {
      await c.query(`CREATE TABLE backup_probe (id serial PRIMARY KEY, body text, doc jsonb, at timestamptz, price numeric(12,4), blob bytea)`);
      await c.query(`ALTER TABLE backup_probe ENABLE ROW LEVEL SECURITY`);
      await c.query(`CREATE POLICY probe_all ON backup_probe USING (true)`);
      for (let i = 0; i < 50; i += 1) {
        await c.query(`INSERT INTO backup_probe (body, doc, at, price, blob) VALUES ($1, $2, now() - ($3 || ' minutes')::interval, $4, $5)`, [
          `Grüße ${i} ✓ — ${'x'.repeat(i)}`, { i, nested: { ok: true } }, String(i), (i * 1.2345).toFixed(4), i === 0 ? media : Buffer.from([i]),
        ]);
      }
    });
    await withClient(dbUrl(n8nDb), async (c) => {
      await c.query(`CREATE TABLE workflow_entity (id text PRIMARY KEY, name text, active boolean, nodes jsonb)`);
      await c.query(`CREATE TABLE credentials_entity (id text PRIMARY KEY, data text)`);
      await c.query(`INSERT INTO workflow_entity VALUES ('wf1', 'After call', true, '[{"type":"switchboard"}]'), ('wf2', 'Follow-up', true, '[]')`);
      await c.query(`INSERT INTO credentials_entity VALUES ('sbSwitchboardApi', 'U2FsdGVkX1+encrypted')`);
    });
    dir = await mkdtemp(join(tmpdir(), 'sb-backups-'));
    await mkdir(join(dir, 'backups'));
    await mkdir(join(dir, 'n8n', 'nested'), { recursive: true });
    await writeFile(join(dir, 'n8n', 'config'), '{"encryptionKey":"n8n-key-old"}');
    await writeFile(join(dir, 'n8n', 'nested', 'switchboard-service-token'), 'sbt_old\n');
    await writeFile(join(dir, 'installed.env'), 'ENCRYPTION_KEY=old-key\nAPP_DB_PASSWORD=old-db\nDOMAIN=old.example\n');
    s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: join(dir, 's3'), configureBuckets: [{ name: 'offsite', configs: [] }] });
    const { port } = (await s3.run()) as { port: number };
    config = loadBackupConfig({
      BACKUP_DATABASE_URL: ADMIN_URL,
      BACKUP_DATABASES: `${app.name},${n8nDb}`,
      BACKUP_PASSPHRASE: 'a passphrase the operator chose',
      BACKUP_DIR: join(dir, 'backups'),
      BACKUP_FILES: `n8n=${join(dir, 'n8n')}`,
      BACKUP_ENV_FILE: join(dir, 'installed.env'),
      BACKUP_KEEP_DAILY: '2',
      BACKUP_KEEP_WEEKLY: '0',
      BACKUP_S3_ENDPOINT: `http://127.0.0.1:${port}`,
      BACKUP_S3_BUCKET: 'offsite',
      BACKUP_S3_PREFIX: 'clinic-agency',
      BACKUP_S3_ACCESS_KEY_ID: 'S3RVER',
      BACKUP_S3_SECRET_ACCESS_KEY: 'S3RVER',
    });
  });

  after(async () => {
    await s3?.close().catch(() => undefined);
    if (n8nDb) await dropDatabase(ADMIN_URL, n8nDb);
    await app?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('when a backup is taken, changed data is restored from it, then every table, folder and data key is as it was', async () => {
    const backup = await createBackup(config);
    expect(backup.manifest.databases[app.name]!.tables.backup_probe).to.include({ rows: 50 });
    expect(backup.manifest.databases[n8nDb]!.tables.workflow_entity).to.include({ rows: 2 });
    expect((await stat(backup.path)).mode & 0o777).to.equal(0o600);
    expect((await readFile(backup.path)).includes(Buffer.from('Grüße'))).to.equal(false); // encrypted as a whole
    const objects = await createOffsiteClient(config.s3!).send(new ListObjectsV2Command({ Bucket: 'offsite' }));
    expect(objects.Contents?.map((o) => [o.Key, o.Size])).to.deep.equal([[`clinic-agency/${backup.file}`, backup.bytes]]);
    expect(await readBackupStatus(config.dir)).to.include({ file: backup.file, bytes: backup.bytes, lastFailureAt: null });

    // Life goes on after the backup: rows change in both databases, the folder and the .env change.
    await withClient(app.ownerUrl, (c) => c.query(`DELETE FROM backup_probe WHERE id % 2 = 0; UPDATE backup_probe SET body = 'changed'`));
    await withClient(dbUrl(n8nDb), (c) => c.query(`INSERT INTO workflow_entity VALUES ('wf3', 'New', false, '[]')`));
    await writeFile(join(dir, 'n8n', 'config'), '{"encryptionKey":"n8n-key-new"}');
    await writeFile(join(dir, 'n8n', 'stray-file'), 'created after the backup');
    const newEnv = join(dir, 'new-install.env');
    await writeFile(newEnv, 'ENCRYPTION_KEY=new-key\nAPP_DB_PASSWORD=new-db\nDOMAIN=new.example\n');

    const report = await restoreBackup(config, backup.path, { envTarget: newEnv });

    expect(report.mismatches).to.deep.equal([]);
    expect(report.tablesChecked).to.be.greaterThan(40);
    expect(await count(app.ownerUrl, 'backup_probe')).to.equal(50);
    const first = await withClient(app.ownerUrl, async (c) => (await c.query(`SELECT body, blob FROM backup_probe WHERE id = 1`)).rows[0]);
    expect(first.body).to.equal('Grüße 0 ✓ — ');
    expect(Buffer.compare(first.blob, media)).to.equal(0);
    expect(await count(dbUrl(n8nDb), 'workflow_entity')).to.equal(2);
    // The API's role keeps its grants (pg_restore --create restores database and table privileges).
    expect(await count(app.appUrl, 'backup_probe')).to.equal(50);
    expect(await readFile(join(dir, 'n8n', 'config'), 'utf8')).to.equal('{"encryptionKey":"n8n-key-old"}');
    expect(await readFile(join(dir, 'n8n', 'nested', 'switchboard-service-token'), 'utf8')).to.equal('sbt_old\n');
    expect(await readdir(join(dir, 'n8n'))).to.not.include('stray-file');
    expect(await readFile(newEnv, 'utf8')).to.match(/^ENCRYPTION_KEY=old-key$/m).and.match(/^APP_DB_PASSWORD=new-db$/m).and.match(/^DOMAIN=new\.example$/m);
    expect(report.envChanged).to.deep.equal(['ENCRYPTION_KEY']);

    // The checksum sees a changed row even when the row count stays the same.
    await withClient(app.ownerUrl, (c) => c.query(`UPDATE backup_probe SET body = body || '!' WHERE id = 7`));
    const changed = await fingerprintDatabase(ADMIN_URL, app.name);
    expect(changed.backup_probe!.rows).to.equal(50);
    expect(changed.backup_probe!.checksum).to.not.equal(backup.manifest.databases[app.name]!.tables.backup_probe!.checksum);
    await withClient(app.ownerUrl, (c) => c.query(`UPDATE backup_probe SET body = left(body, -1) WHERE id = 7`));
    expect((await fingerprintDatabase(ADMIN_URL, app.name)).backup_probe).to.deep.equal(backup.manifest.databases[app.name]!.tables.backup_probe);
  });

  it('when the passphrase is wrong, then the restore fails before touching the databases', async () => {
    const backup = await createBackup(config, new Date(Date.now() + 1000));
    await withClient(app.ownerUrl, (c) => c.query(`INSERT INTO backup_probe (body) VALUES ('after the backup')`));
    let error: unknown;
    await restoreBackup({ ...config, passphrase: 'not the passphrase' }, backup.path).catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(BackupDecryptionError);
    expect(await count(app.ownerUrl, 'backup_probe')).to.equal(51);
  });

  it('when backups pile up over days, then retention prunes them on disk and off-site alike', async () => {
    const days = [5, 4, 3].map((d) => new Date(Date.now() - d * 86_400_000));
    for (const day of days) await createBackup(config, day);
    const local = (await readdir(config.dir)).filter((n) => n.endsWith('.sbbk'));
    // Two days kept: today (two backups taken today, the newer counts) and the most recent older day.
    expect(local).to.have.length(2);
    const objects = await createOffsiteClient(config.s3!).send(new ListObjectsV2Command({ Bucket: 'offsite' }));
    expect(objects.Contents?.map((o) => o.Key?.split('/').at(-1)).sort()).to.deep.equal(local.sort());
  });

  it('when PostgreSQL cannot be reached, then the failure is recorded in status.json for the System health page', async () => {
    let error: unknown;
    await createBackup({ ...config, superuserUrl: 'postgres://postgres@127.0.0.1:1/postgres' }).catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(Error);
    const status = await readBackupStatus(config.dir);
    expect(status.lastFailureAt).to.be.a('string');
    expect(status.lastError).to.match(/ECONNREFUSED|connect/);
    expect(status.lastSuccessAt).to.be.a('string');
  });
});
