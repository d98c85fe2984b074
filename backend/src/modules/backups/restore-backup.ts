// `make restore FILE=...`: decrypts and checks the archive, replaces both databases and the data folders with
// its contents, hands back the .env values the data needs, then compares every table's row count and checksum
// with the manifest. Run with the services that use the databases stopped (deploy/scripts/restore.sh).
import { chown, cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BackupConfig } from '../../config.js';
import { decryptToFile } from './backup-crypto.js';
import { MANIFEST_FORMAT, type BackupManifest } from './create-backup.js';
import { fingerprintDatabase, restoreDatabase } from './database-snapshots.js';
import { mergeRestoredSecrets } from './restore-secrets.js';
import { runCommand } from './run-command.js';

export type RestoreReport = {
  createdAt: string;
  databases: string[];
  files: string[];
  envChanged: string[];
  mismatches: string[];
  tablesChecked: number;
  seconds: number;
};

async function chownTree(path: string, uid: number, gid: number): Promise<void> {
  await chown(path, uid, gid);
  for (const entry of await readdir(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) await chownTree(child, uid, gid);
    else await chown(child, uid, gid).catch(() => undefined);
  }
}

export async function restoreBackup(
  config: BackupConfig,
  archivePath: string,
  options: { envTarget?: string } = {},
): Promise<RestoreReport> {
  const started = Date.now();
  const work = await mkdtemp(join(config.dir, '.restore-'));
  try {
    // Decrypted and unpacked in full before anything is touched: a wrong passphrase changes nothing.
    await decryptToFile(archivePath, join(work, 'archive.tar'), config.passphrase);
    await runCommand('tar', ['-C', work, '-xf', join(work, 'archive.tar')]);
    await rm(join(work, 'archive.tar'));
    const manifest = JSON.parse(await readFile(join(work, 'manifest.json'), 'utf8')) as BackupManifest;
    if (manifest.format !== MANIFEST_FORMAT) throw new Error(`backup format ${manifest.format} is not supported by this release`);

    for (const [database, { dump }] of Object.entries(manifest.databases)) {
      await restoreDatabase(config.superuserUrl, database, join(work, dump));
    }
    for (const setName of manifest.files) {
      const target = config.files.find((f) => f.name === setName);
      if (!target) throw new Error(`the backup holds the folder "${setName}" but BACKUP_FILES does not say where it goes`);
      const { uid, gid } = await stat(target.path);
      for (const entry of await readdir(target.path)) await rm(join(target.path, entry), { recursive: true, force: true });
      await cp(join(work, 'files', setName), target.path, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
      await chownTree(target.path, uid, gid);
    }
    let envChanged: string[] = [];
    if (manifest.env && options.envTarget) {
      const merged = mergeRestoredSecrets(await readFile(options.envTarget, 'utf8'), await readFile(join(work, 'env', 'dotenv'), 'utf8'));
      // Written in place (not renamed): the target may be a single file bind-mounted from the host.
      await writeFile(options.envTarget, merged.text);
      envChanged = merged.changed;
    }

    const mismatches: string[] = [];
    let tablesChecked = 0;
    for (const [database, { tables }] of Object.entries(manifest.databases)) {
      const now = await fingerprintDatabase(config.superuserUrl, database);
      for (const [table, expected] of Object.entries(tables)) {
        tablesChecked += 1;
        const got = now[table];
        if (!got) mismatches.push(`${database}.${table}: missing after restore`);
        else if (got.rows !== expected.rows || got.checksum !== expected.checksum) {
          mismatches.push(`${database}.${table}: ${got.rows} rows (checksum ${got.checksum}), backup had ${expected.rows} (${expected.checksum})`);
        }
      }
    }
    return {
      createdAt: manifest.createdAt,
      databases: Object.keys(manifest.databases),
      files: manifest.files,
      envChanged,
      mismatches,
      tablesChecked,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
