// status.json beside the backups: the System health page and alerts read it (BACKUP_STATUS_FILE), so an
// operator sees the last good backup and the last failure without reading logs.
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export type BackupStatus = {
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  lastError: string | null;
  file: string | null;
  bytes: number | null;
  offsite: string | null;
};

const EMPTY: BackupStatus = { lastSuccessAt: null, lastFailureAt: null, lastError: null, file: null, bytes: null, offsite: null };

export async function readBackupStatus(dir: string): Promise<BackupStatus> {
  try {
    return { ...EMPTY, ...(JSON.parse(await readFile(join(dir, 'status.json'), 'utf8')) as Partial<BackupStatus>) };
  } catch {
    return EMPTY;
  }
}

export async function recordBackupOutcome(dir: string, outcome: { ok: true; file: string; bytes: number; offsite: string | null } | { ok: false; error: string }): Promise<void> {
  const now = new Date().toISOString();
  const previous = await readBackupStatus(dir);
  const next: BackupStatus = outcome.ok
    ? { ...previous, lastSuccessAt: now, file: outcome.file, bytes: outcome.bytes, offsite: outcome.offsite }
    : { ...previous, lastFailureAt: now, lastError: outcome.error.slice(0, 2000) };
  // Written aside and renamed: a reader never sees half a file.
  const tmp = join(dir, `.status.json.${process.pid}`);
  await writeFile(tmp, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o644 });
  await rename(tmp, join(dir, 'status.json'));
}
