import { readdirSync, readFileSync } from 'node:fs';

// CPU time spent by the processes under test (Linux /proc), so a figure means something even on a machine
// other work shares: the API process tree, and the PostgreSQL backends serving the benchmark's database.
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

type ProcStat = { pid: number; ppid: number; cpuMs: number };

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // after "pid (comm) ": state ppid ... utime is field 14, stime 15 (1-based over the whole line)
    return { pid, ppid: Number(fields[1]), cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND };
  } catch {
    return undefined;
  }
}

function allPids(): number[] {
  try {
    return readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number);
  } catch {
    return [];
  }
}

function treeOf(root: number, stats: ProcStat[]): ProcStat[] {
  const inTree = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const stat of stats) {
      if (inTree.has(stat.pid) || !inTree.has(stat.ppid)) continue;
      inTree.add(stat.pid);
      grew = true;
    }
  }
  return stats.filter((stat) => inTree.has(stat.pid));
}

function databaseBackends(database: string): number[] {
  return allPids().filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(` ${database} `);
    } catch {
      return false;
    }
  });
}

/** CPU milliseconds used by some process trees and by the database's backends between start and read. */
export function processCpuMeter(rootPids: readonly (number | undefined)[], database: string | undefined) {
  const snapshot = () => {
    const stats = allPids().map(readStat).filter((stat): stat is ProcStat => stat !== undefined);
    const byPid = new Map(stats.map((stat) => [stat.pid, stat.cpuMs]));
    const roots = rootPids.filter((pid): pid is number => pid !== undefined);
    const app = new Map(roots.flatMap((root) => treeOf(root, stats)).map((stat) => [stat.pid, stat.cpuMs]));
    const db = database === undefined ? new Map<number, number>() : new Map(databaseBackends(database).map((pid) => [pid, byPid.get(pid) ?? 0]));
    return { app, db };
  };
  const start = snapshot();
  const delta = (now: Map<number, number>, before: Map<number, number>) => [...now].reduce((sum, [pid, ms]) => sum + ms - (before.get(pid) ?? 0), 0);
  return {
    read(): { appCpuMs: number; dbCpuMs: number } {
      const end = snapshot();
      return { appCpuMs: Math.round(delta(end.app, start.app)), dbCpuMs: Math.round(delta(end.db, start.db)) };
    },
  };
}
