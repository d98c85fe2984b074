import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { problemLine } from './console-filter.js';

export type ProcessSpec = {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Resolves when the service is ready (e.g. its health endpoint answers). */
  ready?: () => Promise<boolean>;
};

export type RunningProcess = { spec: ProcessSpec; child: ChildProcess; log: WriteStream; exited: Promise<number | null> };

const colors = [36, 35, 33, 32, 34, 31, 96];

/** What reaches the console: every line, only our services' errors (console-filter.ts), or nothing. */
export type Echo = 'all' | 'problems' | 'none';

/** Starts a process with its output copied to logs/<name>.log and, as `echo` says, prefixed on the console. */
export function startProcess(spec: ProcessSpec, logDir: string, echo: Echo, index = 0): RunningProcess {
  mkdirSync(logDir, { recursive: true });
  const log = createWriteStream(join(logDir, `${spec.name}.log`), { flags: 'a' });
  const child = spawn(spec.command, spec.args, { cwd: spec.cwd, env: spec.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const prefix = `\x1b[${colors[index % colors.length]}m${spec.name.padEnd(10)}\x1b[0m│ `;
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      log.write(chunk);
      if (echo === 'none') return;
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        const shown = echo === 'all' ? line : problemLine(spec.name, line);
        if (shown !== undefined) process.stdout.write(prefix + shown + '\n');
      }
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // A crash after start-up must not pass silently when the console shows only problems.
  if (echo === 'problems') void exited.then((code) => code && process.stdout.write(`${prefix}stopped (exit code ${code}); see ${join(logDir, `${spec.name}.log`)}\n`));
  return { spec, child, log, exited };
}

/** Polls `ready` until it says yes, the process dies, or the timeout passes. */
export async function waitUntilReady(proc: RunningProcess, timeoutMs: number, onWait?: (seconds: number) => void): Promise<void> {
  const ready = proc.spec.ready;
  if (!ready) return;
  const started = Date.now();
  let dead = false;
  void proc.exited.then(() => (dead = true));
  let lastNotice = 0;
  while (Date.now() - started < timeoutMs) {
    if (dead) throw new Error(`${proc.spec.name} exited during start-up; see its log`);
    if (await ready().catch(() => false)) return;
    const seconds = Math.round((Date.now() - started) / 1000);
    if (onWait && seconds - lastNotice >= 10) {
      lastNotice = seconds;
      onWait(seconds);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${proc.spec.name} was not ready within ${Math.round(timeoutMs / 1000)} s; see its log`);
}

/** SIGTERM the whole process group, then SIGKILL whatever is left after the grace period. */
export async function stopProcess(proc: RunningProcess, graceMs = 10_000): Promise<void> {
  const { child } = proc;
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
    proc.log.end();
    return;
  }
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      /* already gone */
    }
  };
  signalGroup('SIGTERM');
  const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
  await proc.exited;
  clearTimeout(timer);
  proc.log.end();
}

export async function httpOk(url: string, expect = (status: number) => status === 200): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
  return expect(response.status);
}
