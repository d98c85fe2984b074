import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const backendDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Worker processes for the reliability runs: `node --import tsx <entry>` with the given environment.
 * The entry defaults to the harness worker (counting provider); RELIABILITY_WORKER_ENTRY=src/worker.ts
 * runs the real worker instead (e.g. against the fake Twilio server, configured through its env).
 */
export class WorkerFleet {
  private readonly workers = new Map<number, ChildProcess>();
  constructor(private readonly env: NodeJS.ProcessEnv) {}

  start(index: number): ChildProcess {
    const entry = process.env.RELIABILITY_WORKER_ENTRY ?? 'test/reliability/harness-worker.ts';
    const child = spawn(process.execPath, ['--import', 'tsx', entry], { cwd: backendDir, env: { ...process.env, ...this.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const prefix = `[worker ${index} pid ${child.pid}]`;
    child.stdout?.on('data', (chunk: Buffer) => process.env.RELIABILITY_VERBOSE && process.stdout.write(`${prefix} ${chunk}`));
    child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`${prefix} ${chunk}`));
    this.workers.set(index, child);
    return child;
  }

  async kill(index: number, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.workers.get(index);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill(signal);
    await exited;
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.workers.keys()].map((index) => this.kill(index, 'SIGTERM')));
  }
}

/** A private redis-server (no persistence) that can be killed and restarted on the same port. */
export class PrivateRedis {
  private child?: ChildProcess;
  private constructor(readonly port: number) {}

  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort());
    await redis.restart();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}/0`;
  }

  async restart(): Promise<void> {
    this.child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    for (let i = 0; i < 100; i += 1) {
      if (await canConnect(this.port)) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('private redis-server did not start');
  }

  async kill(): Promise<void> {
    if (!this.child || this.child.exitCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGKILL');
    await exited;
  }
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

async function canConnect(port: number): Promise<boolean> {
  const { Socket } = await import('node:net');
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.connect(port, '127.0.0.1');
  });
}
