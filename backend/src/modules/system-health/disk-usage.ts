import { statfs } from 'node:fs/promises';

export type DiskUsage =
  | { path: string; totalBytes: number; freeBytes: number; usedPercent: number }
  | { path: string; error: string };

/** Disk alerts start at this share of the volume used. */
export const DISK_ALERT_PERCENT = 85;

/** The volume holding `path`, as `df` reports it: used against what ordinary users may still write. */
export async function readDiskUsage(path: string): Promise<DiskUsage> {
  try {
    const stats = await statfs(path);
    const used = (stats.blocks - stats.bfree) * stats.bsize;
    const free = stats.bavail * stats.bsize;
    const usedPercent = used + free === 0 ? 0 : Math.round((used / (used + free)) * 1000) / 10;
    return { path, totalBytes: stats.blocks * stats.bsize, freeBytes: free, usedPercent };
  } catch (err) {
    return { path, error: (err as Error).message };
  }
}
