import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const backendDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const READY = 'switchboard worker started';
const KEPT_LINES = 400;

type Worker = { child: ChildProcess; output: string[]; ready: Promise<void>; unhandled: number };
/** What the worker logs when a rejection escaped every handler (src/worker.ts keeps running; tests must see it). */
const UNHANDLED = 'unhandled rejection';

/**
 * Worker processes as deployed: `node --import tsx src/worker.ts` (the real entry, its real adapters
 * chosen from config) with the given environment. stderr is echoed; stdout (pino logs) is kept per
 * worker for a failing test to print, and echoed with WORKER_VERBOSE=1.
 */
export class WorkerFleet {
  private readonly workers = new Map<number, Worker>();
  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly entry = 'src/worker.ts',
  ) {}

  start(index: number): ChildProcess {
    const child = spawn(process.execPath, ['--import', 'tsx', this.entry], { cwd: backendDir, env: { ...process.env, ...this.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const prefix = `[worker ${index} pid ${child.pid}]`;
    const output: string[] = [];
    let resolveReady!: () => void;
    let rejectReady!: (err: Error) => void;
    const ready = new Promise<void>((resolve, reject) => {
      resolveReady = resolve;
      rejectReady = reject;
    });
    ready.catch(() => undefined); // only awaited by callers that ask for readiness
    const worker: Worker = { child, output, ready, unhandled: 0 };
    child.stdout?.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      output.push(...text.split('\n').filter(Boolean));
      output.splice(0, Math.max(0, output.length - KEPT_LINES));
      if (text.includes(UNHANDLED)) worker.unhandled += text.split(UNHANDLED).length - 1;
      if (text.includes(READY)) resolveReady();
      if (process.env.WORKER_VERBOSE) process.stdout.write(`${prefix} ${text}`);
    });
    child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`${prefix} ${chunk}`));
    child.once('exit', (code, signal) => rejectReady(new Error(`${prefix} exited (${signal ?? code}) before it was ready`)));
    this.workers.set(index, worker);
    return child;
  }

  /** Resolves once the worker logged that it started (needs LOG_LEVEL info or lower). */
  async ready(index: number, timeoutMs = 30_000): Promise<void> {
    const worker = this.workers.get(index);
    if (!worker) throw new Error(`no worker ${index}`);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`worker ${index} not ready within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([worker.ready, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** How many unhandled rejections a worker logged (needs LOG_LEVEL error or lower). */
  unhandledRejections(index: number): number {
    return this.workers.get(index)?.unhandled ?? 0;
  }

  /** The last lines a worker wrote to stdout (its logs). */
  output(index: number): string[] {
    return this.workers.get(index)?.output ?? [];
  }

  async kill(index: number, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.workers.get(index)?.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill(signal);
    // A graceful stop finishes jobs in flight; one that hangs is not the test's subject: SIGKILL it.
    const force = signal === 'SIGKILL' ? undefined : setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(force);
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

export async function freePort(): Promise<number> {
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
