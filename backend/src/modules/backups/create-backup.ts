// `make backup` and the nightly backup: both databases from simultaneous snapshots, the data folders, the
// .env that reads them, and a manifest with every table's row count and checksum; tarred, encrypted with the
// operator's passphrase, pruned by retention, optionally copied off-site.
import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, rename, rm, stat, writeFile, copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BackupConfig } from '../../config.js';
import { encryptToFile } from './backup-crypto.js';
import { backupFileName, backupsToPrune, takenAtOf } from './backup-retention.js';
import { recordBackupOutcome } from './backup-status.js';
import { closeSnapshots, dumpDatabase, fingerprint, openSnapshots, type DatabaseFingerprint } from './database-snapshots.js';
import { createOffsiteClient, pruneOffsite, uploadBackup } from './offsite-copy.js';

export const MANIFEST_FORMAT = 1;

export type BackupManifest = {
  format: number;
  createdAt: string;
  databases: Record<string, { dump: string; tables: DatabaseFingerprint }>;
  files: string[];
  env: boolean;
};

export type BackupResult = { file: string; path: string; bytes: number; seconds: number; offsite: string | null; pruned: string[]; manifest: BackupManifest };

/**
 * `tar -c` of a folder as a stream (the archive keeps modes; owners are set again on restore), and its exit: a tar
 * that fails part-way ends the stream early, which must fail the backup rather than seal a truncated archive.
 */
function tarStream(dir: string) {
  const child = spawn('tar', ['-C', dir, '-cf', '-', '.'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve, reject) => {
    child.on('error', (err) => reject(new Error(`tar could not be started: ${err.message}`)));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`tar exited with ${code}: ${stderr.trim().slice(-2000)}`))));
  });
  return { stream: child.stdout, exited };
}

export async function createBackup(config: BackupConfig, now = new Date()): Promise<BackupResult> {
  const started = Date.now();
  await mkdir(config.dir, { recursive: true });
  const name = backupFileName(now);
  const work = await mkdtemp(join(config.dir, '.work-'));
  try {
    await mkdir(join(work, 'db'));
    const snapshots = await openSnapshots(config.superuserUrl, config.databases);
    const manifest: BackupManifest = { format: MANIFEST_FORMAT, createdAt: now.toISOString(), databases: {}, files: [], env: false };
    try {
      await Promise.all(
        snapshots.map(async (snapshot) => {
          const dump = `db/${snapshot.database}.dump`;
          const [tables] = await Promise.all([fingerprint(snapshot.client), dumpDatabase(config.superuserUrl, snapshot, join(work, dump))]);
          manifest.databases[snapshot.database] = { dump, tables };
        }),
      );
    } finally {
      await closeSnapshots(snapshots);
    }
    for (const { name: setName, path } of config.files) {
      await cp(path, join(work, 'files', setName), { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
      manifest.files.push(setName);
    }
    if (config.envFile) {
      await mkdir(join(work, 'env'));
      await copyFile(config.envFile, join(work, 'env', 'dotenv'));
      manifest.env = true;
    }
    await writeFile(join(work, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    const partial = join(config.dir, `.${name}.partial`);
    const tar = tarStream(work);
    await Promise.all([encryptToFile(tar.stream, partial, config.passphrase), tar.exited]).catch(async (err: unknown) => {
      await rm(partial, { force: true });
      throw err;
    });
    const path = join(config.dir, name);
    await rename(partial, path);
    const { size } = await stat(path);
    const pruned = await pruneLocal(config);
    let offsite: string | null = null;
    if (config.s3) {
      const client = createOffsiteClient(config.s3);
      offsite = `s3://${config.s3.bucket}/${await uploadBackup(client, config.s3, path, name)}`;
      pruned.push(...(await pruneOffsite(client, config.s3, config.retention)).map((n) => `${n} (off-site)`));
    }
    await recordBackupOutcome(config.dir, { ok: true, file: name, bytes: size, offsite });
    return { file: name, path, bytes: size, seconds: (Date.now() - started) / 1000, offsite, pruned, manifest };
  } catch (err) {
    await recordBackupOutcome(config.dir, { ok: false, error: err instanceof Error ? err.message : String(err) }).catch(() => undefined);
    throw err;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function pruneLocal(config: BackupConfig): Promise<string[]> {
  const entries = (await readdir(config.dir)).flatMap((name) => {
    const takenAt = takenAtOf(name);
    return takenAt ? [{ name, takenAt }] : [];
  });
  const prune = backupsToPrune(entries, config.retention);
  await Promise.all(prune.map((e) => rm(join(config.dir, e.name), { force: true })));
  return prune.map((e) => e.name);
}
