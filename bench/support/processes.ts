import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Child processes of a benchmark (the API, workers, a private Redis), started and stopped by pid.
export const repoDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The backend the API and workers run from; BENCH_BACKEND_DIR points at another checkout to compare a change. */
export const backendDir = process.env.BENCH_BACKEND_DIR ?? join(repoDir, 'backend');

export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export type Child = { name: string; process: ChildProcess; stop: () => Promise<void> };

/** `node [--import tsx] <entry>` from backend/, output prefixed; stderr always shown, stdout only when BENCH_VERBOSE. */
export function startNode(name: string, entry: string, env: NodeJS.ProcessEnv, nodeArgs: string[] = ['--import', 'tsx'], options: { nice?: number } = {}): Child {
  const [command, args] = options.nice
    ? ['nice', ['-n', String(options.nice), process.execPath, ...nodeArgs, entry]]
    : [process.execPath, [...nodeArgs, entry]];
  const child = spawn(command as string, args as string[], { cwd: backendDir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = `[${name} ${child.pid}]`;
  child.stdout?.on('data', (chunk: Buffer) => process.env.BENCH_VERBOSE && process.stdout.write(`${prefix} ${chunk}`));
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`${prefix} ${chunk}`));
  return { name, process: child, stop: () => stopChild(child) };
}

async function stopChild(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Resolves when the child prints `text` on stdout (e.g. a worker's "started" log line). */
export function waitForOutput(child: Child, text: string, timeoutMs = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`${child.name} did not print "${text}" within ${timeoutMs} ms`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      seen = (seen + chunk.toString()).slice(-4096);
      if (!seen.includes(text)) return;
      clearTimeout(timer);
      child.process.stdout?.off('data', onData);
      resolve();
    };
    child.process.stdout?.on('data', onData);
    child.process.once('exit', (code) => reject(new Error(`${child.name} exited (${code}) before printing "${text}"`)));
  });
}

/** Polls `url` until it answers 200 (a server's /healthz). */
export async function waitForHttp(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
    await sleep(100);
  }
}

/** A private redis-server (no persistence) on a free port: benchmarks never touch the shared one's keys. */
export async function startPrivateRedis(): Promise<Child & { url: string }> {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}/0`;
  const { Redis } = await import('ioredis');
  for (let i = 0; i < 100; i += 1) {
    const redis = new Redis(url, { maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });
    redis.on('error', () => undefined);
    const ok = await redis.connect().then(() => redis.ping()).then(() => true, () => false);
    redis.disconnect();
    if (ok) return { name: 'redis', process: child, url, stop: () => stopChild(child) };
    await sleep(50);
  }
  throw new Error('private redis-server did not start');
}

/** Stops every child (in parallel), ignoring those already gone. */
export async function stopAll(children: readonly (Child | undefined)[]): Promise<void> {
  await Promise.allSettled(children.filter((child): child is Child => child !== undefined).map((child) => child.stop()));
}
