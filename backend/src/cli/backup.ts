// Backups of the whole installation (backend/src/modules/backups). In compose this runs in the `backup`
// service, beside PostgreSQL as its superuser:
//   node backend/dist/cli/backup.js create                   one backup now (make backup)
//   node backend/dist/cli/backup.js restore FILE [--env F]   replace the data with FILE (make restore FILE=...)
//   node backend/dist/cli/backup.js list                     the backups kept here
//   node backend/dist/cli/backup.js schedule                 stay running; one backup a day at BACKUP_AT (UTC)
import { readdir, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { loadBackupConfig, type BackupConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { takenAtOf } from '../modules/backups/backup-retention.js';
import { createBackup } from '../modules/backups/create-backup.js';
import { restoreBackup } from '../modules/backups/restore-backup.js';

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function create(config: BackupConfig): Promise<void> {
  const result = await createBackup(config);
  const tables = Object.values(result.manifest.databases).reduce((n, d) => n + Object.keys(d.tables).length, 0);
  console.log(`Backup written: ${result.path} (${mb(result.bytes)}, ${result.seconds.toFixed(1)} s; ${Object.keys(result.manifest.databases).join(' + ')}: ${tables} tables; folders: ${result.manifest.files.join(', ') || 'none'})`);
  if (result.offsite) console.log(`Copied off-site: ${result.offsite}`);
  if (result.pruned.length > 0) console.log(`Pruned by retention (${config.retention.daily} daily, ${config.retention.weekly} weekly): ${result.pruned.join(', ')}`);
}

async function restore(config: BackupConfig, file: string | undefined, envTarget: string | undefined): Promise<void> {
  if (!file) throw new Error('restore needs the backup file: restore FILE [--env PATH]');
  const path = file.includes('/') ? file : join(config.dir, file);
  const report = await restoreBackup(config, path, { envTarget });
  console.log(`Restored ${basename(path)} (taken ${report.createdAt}) in ${report.seconds.toFixed(1)} s: databases ${report.databases.join(', ')}; folders ${report.files.join(', ') || 'none'}`);
  if (report.envChanged.length > 0) console.log(`.env values taken from the backup (the data needs them): ${report.envChanged.join(', ')}`);
  if (report.mismatches.length > 0) {
    console.error(`Restored data differs from the backup's manifest:\n  ${report.mismatches.join('\n  ')}`);
    process.exitCode = 1;
  } else {
    console.log(`Verified: ${report.tablesChecked} tables have the backup's row counts and checksums.`);
  }
}

async function list(config: BackupConfig): Promise<void> {
  const names = (await readdir(config.dir)).filter((n) => takenAtOf(n)).sort();
  if (names.length === 0) console.log(`No backups in ${config.dir}.`);
  for (const name of names) console.log(`${name}  ${mb((await stat(join(config.dir, name))).size)}`);
}

/** The next HH:MM (UTC) after `now`. */
function nextRunAt(dailyAt: string, now = new Date()): number {
  const [h, m] = dailyAt.split(':').map(Number) as [number, number];
  const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), h, m));
  if (next.getTime() <= now.getTime()) next.setUTCDate(next.getUTCDate() + 1);
  return next.getTime();
}

// Touched every 30 s while the scheduler runs (also during a long backup): the compose healthcheck reads its age.
export const HEARTBEAT_FILE = '/tmp/switchboard-backup-alive';

async function schedule(config: BackupConfig): Promise<void> {
  const logger = createLogger({ logLevel: 'info' }, 'switchboard-backup');
  let stopping = false;
  let wake: () => void = () => undefined;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => ((stopping = true), wake()));
  const beat = () => writeFile(HEARTBEAT_FILE, new Date().toISOString()).catch(() => undefined);
  await beat();
  const heartbeat = setInterval(beat, 30_000);
  let next = nextRunAt(config.dailyAt);
  logger.info({ at: config.dailyAt, next: new Date(next).toISOString(), dir: config.dir, offsite: Boolean(config.s3) }, 'nightly backups scheduled (UTC)');
  while (!stopping) {
    await new Promise<void>((resolve) => {
      wake = resolve;
      setTimeout(resolve, Math.max(0, next - Date.now())).unref();
    });
    if (stopping) break;
    next = nextRunAt(config.dailyAt);
    try {
      const result = await createBackup(config);
      logger.info({ file: result.file, bytes: result.bytes, seconds: result.seconds, offsite: result.offsite, pruned: result.pruned }, 'nightly backup written');
    } catch (err) {
      // status.json records the failure; the System health page and its alert show it to the agency.
      logger.error({ err }, 'nightly backup failed');
    }
  }
  clearInterval(heartbeat);
}

const [command, ...rest] = process.argv.slice(2);
try {
  const config = loadBackupConfig();
  const envFlag = rest.indexOf('--env');
  if (command === 'create') await create(config);
  else if (command === 'restore') await restore(config, rest.find((a, i) => !a.startsWith('--') && i !== envFlag + 1), envFlag >= 0 ? rest[envFlag + 1] : undefined);
  else if (command === 'list') await list(config);
  else if (command === 'schedule') await schedule(config);
  else throw new Error('usage: backup.js create | restore FILE [--env PATH] | list | schedule');
} catch (err) {
  console.error(`Backup: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
