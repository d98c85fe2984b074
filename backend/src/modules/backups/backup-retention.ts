// Which backups to keep: the newest of each of the last `daily` days that have a backup, and the newest of each
// of the last `weekly` ISO weeks that have one (the two sets may overlap). Everything else is pruned. Pure, so the rule is tested on its own.

export type BackupEntry = { name: string; takenAt: Date };
export type RetentionPolicy = { daily: number; weekly: number };

const FILE_PATTERN = /^switchboard-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z\.sbbk$/;

export function backupFileName(takenAt: Date): string {
  const stamp = takenAt.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
  return `switchboard-${stamp}.sbbk`;
}

/** The time a backup file's name says it was taken, or null for files that are not ours. */
export function takenAtOf(name: string): Date | null {
  const m = FILE_PATTERN.exec(name);
  return m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)) : null;
}

const dayKey = (d: Date) => d.toISOString().slice(0, 10);
function isoWeekKey(d: Date): string {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const weekday = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - weekday); // the week's Thursday decides its year
  const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((t.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${t.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

export function backupsToPrune(entries: BackupEntry[], policy: RetentionPolicy): BackupEntry[] {
  const newestFirst = [...entries].sort((a, b) => b.takenAt.getTime() - a.takenAt.getTime());
  const keep = new Set<string>();
  // As restic's --keep-daily/--keep-weekly: the newest backup of each of the last N days (and M weeks) that have one.
  for (const [limit, keyOf] of [[policy.daily, dayKey], [policy.weekly, isoWeekKey]] as const) {
    const seen = new Set<string>();
    for (const entry of newestFirst) {
      const key = keyOf(entry.takenAt);
      if (seen.has(key)) continue;
      if (seen.size >= limit) break;
      seen.add(key);
      keep.add(entry.name);
    }
  }
  return newestFirst.filter((e) => !keep.has(e.name));
}
