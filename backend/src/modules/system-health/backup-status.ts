import { readFile } from 'node:fs/promises';
import { z } from 'zod';

// The status file `make backup` writes after every run (the contract with deploy's backup script).
const statusFile = z.object({
  lastSuccessAt: z.iso.datetime({ offset: true }).nullable(),
  lastFailureAt: z.iso.datetime({ offset: true }).nullable(),
  lastError: z.string().nullable(),
  file: z.string().nullable(),
  bytes: z.number().nonnegative().nullable(),
});
export type BackupStatusFile = z.infer<typeof statusFile>;

export type BackupState = 'ok' | 'failed' | 'stale' | 'never' | 'unreadable' | 'unconfigured';
export type BackupStatus = { state: BackupState; detail: string } & Partial<BackupStatusFile>;

/** A backup older than this is reported (and alerted) as stale: a daily job that missed a run. */
export const BACKUP_MAX_AGE_HOURS = 26;

/** What the status says: the newer of the last success and the last failure wins. Pure, for tests. */
export function judgeBackup(status: BackupStatusFile, now: Date): BackupStatus {
  const success = status.lastSuccessAt ? Date.parse(status.lastSuccessAt) : null;
  const failure = status.lastFailureAt ? Date.parse(status.lastFailureAt) : null;
  if (failure !== null && (success === null || failure > success)) {
    return { ...status, state: 'failed', detail: `The last backup failed: ${status.lastError ?? 'no reason given'}` };
  }
  if (success === null) return { ...status, state: 'never', detail: 'No backup has succeeded yet' };
  const ageHours = (now.getTime() - success) / 3_600_000;
  if (ageHours > BACKUP_MAX_AGE_HOURS) {
    return { ...status, state: 'stale', detail: `The last successful backup is ${Math.floor(ageHours)} hours old` };
  }
  return { ...status, state: 'ok', detail: 'The last backup succeeded' };
}

/** Reads BACKUP_STATUS_FILE; unset means this installation has no backups configured. */
export async function readBackupStatus(path: string | undefined, now = new Date()): Promise<BackupStatus> {
  if (!path) return { state: 'unconfigured', detail: 'No backups configured (BACKUP_STATUS_FILE is not set)' };
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'never', detail: `No backup has run yet (${path} does not exist)` };
    return { state: 'unreadable', detail: `Cannot read ${path}: ${(err as Error).message}` };
  }
  let parsed: z.ZodSafeParseResult<BackupStatusFile>;
  try {
    parsed = statusFile.safeParse(JSON.parse(text));
  } catch {
    return { state: 'unreadable', detail: `${path} is not JSON` };
  }
  if (!parsed.success) return { state: 'unreadable', detail: `${path} does not have the expected fields` };
  return judgeBackup(parsed.data, now);
}
