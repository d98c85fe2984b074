import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { repoDir } from './processes.js';

// How a benchmark tells its figures: an aligned table on the terminal and a small JSON file under bench/results/.
export function printTable(title: string, headers: string[], rows: (string | number)[][]): void {
  const cells = [headers, ...rows.map((row) => row.map(String))];
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? '').length)));
  const line = (row: string[]) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
  console.log(`\n${title}`);
  console.log(line(headers));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of cells.slice(1)) console.log(line(row));
}

export type MachineContext = {
  at: string;
  node: string;
  cpus: string;
  memoryGb: number;
  loadAverageBefore: number[];
  loadAverageAfter?: number[];
  postgres?: string;
};

export async function machineContext(adminUrl: string): Promise<MachineContext> {
  const info = cpus();
  const context: MachineContext = {
    at: new Date().toISOString(),
    node: process.version,
    cpus: `${info.length} x ${info[0]?.model ?? 'unknown'}`,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    loadAverageBefore: loadavg().map((value) => Math.round(value * 100) / 100),
  };
  const client = new pg.Client({ connectionString: adminUrl });
  try {
    await client.connect();
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    context.postgres = rows[0]?.server_version;
  } catch {
    // the benchmark itself will say what is wrong with the database
  } finally {
    await client.end().catch(() => undefined);
  }
  return context;
}

export function finishContext(context: MachineContext): MachineContext {
  return { ...context, loadAverageAfter: loadavg().map((value) => Math.round(value * 100) / 100) };
}

/** bench/results/<name>.json (committed: the latest figures); BENCH_RESULTS_NAME writes an experiment elsewhere. */
export function writeResults(name: string, results: unknown): string {
  const dir = join(repoDir, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${process.env.BENCH_RESULTS_NAME ?? name}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}

/** Seconds from an env variable (benchmarks are shortened or lengthened without editing them). */
export function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? NaN : Number(raw);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}
