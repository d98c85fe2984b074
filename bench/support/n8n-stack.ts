import { randomBytes } from 'node:crypto';
import { readdirSync, readlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { defaultStackOptions, startStack, type Stack } from '../../deploy/native/stack.js';
import { repoRoot } from '../../deploy/native/tools.js';
import { FakeTwilio } from '../../tests/fakes/twilio/index.js';
import { FakeWhatsAppCloud } from '../../tests/fakes/whatsapp-cloud/index.js';
import { N8nRest } from './n8n-rest.js';
import { benchWorkflowsDir } from './n8n-workflows.js';
import { freePort } from './processes.js';
import { processCpuMeter } from './process-cpu.js';

// One native stack per n8n mode (API, worker, n8n main [+ n8n worker], no portal) with its own databases on
// free ports and Redis db 13, beside the Twilio and WhatsApp fakes its backend sends through. Like the e2e
// stack, but with the bench copy of the after-call workflow. stop() drops its databases and state folder.
export type BenchStack = {
  mode: 'regular' | 'queue';
  stack: Stack;
  n8n: N8nRest;
  /** Superuser URL of the stack's app database (arranging the tenant, reading the subscription). */
  appAdminUrl: string;
  encryptionKey: Buffer;
  fakes: { twilio: FakeTwilio; whatsapp: FakeWhatsAppCloud };
  startSeconds: number;
  /** CPU used by n8n (main, worker, task runner) and by the PostgreSQL backends of n8n's database from now on. */
  n8nCpuMeter: () => ReturnType<typeof processCpuMeter>;
  stop: () => Promise<void>;
};

/** n8n's processes are the ones running in the stack's state folder (the API and worker run in the repo). */
function pidsRunningIn(dir: string): number[] {
  return readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).map(Number).filter((pid) => {
    try {
      return readlinkSync(`/proc/${pid}/cwd`) === dir;
    } catch {
      return false;
    }
  });
}

const REDIS = { host: '127.0.0.1', port: 6379, db: 13 };

/**
 * Redis db 13 belongs to this benchmark. It is emptied before and after each stack: n8n keeps its cache there under
 * fixed keys (`n8n:cache:*`, not per stack), and a previous stack's webhook and workflow entries must not leak in.
 */
async function clearBenchRedis(): Promise<void> {
  const { Redis } = await import('ioredis');
  const redis = new Redis({ ...REDIS, lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    await redis.flushdb();
  } finally {
    redis.disconnect();
  }
}

export async function startBenchStack(mode: 'regular' | 'queue'): Promise<BenchStack> {
  const name = `bench_n8n_${randomBytes(3).toString('hex')}`;
  await clearBenchRedis();
  const fakes = { twilio: await FakeTwilio.start({ stepMs: 100 }), whatsapp: await FakeWhatsAppCloud.start() };
  const workflowsDir = benchWorkflowsDir();
  const options = defaultStackOptions({
    name,
    n8nMode: mode,
    withPortal: false,
    workflowsDir,
    backendEnv: { TWILIO_API_BASE_URL: fakes.twilio.url, WHATSAPP_GRAPH_BASE_URL: fakes.whatsapp.graphBaseUrl, LOG_LEVEL: 'warn' },
    ports: { api: await freePort(), portal: await freePort(), n8n: await freePort(), n8nWorkerHealth: await freePort(), n8nBroker: await freePort(), n8nWorkerBroker: await freePort() },
    redis: REDIS,
    quiet: true,
    log: (line) => console.log(`[${mode} stack] ${line}`),
  });
  const adminUrl = new URL(options.adminDatabaseUrl);
  adminUrl.pathname = `/sb_${name}`;
  let stack: Stack | undefined;
  const stop = async () => {
    await stack?.stop();
    await Promise.all([fakes.twilio.close(), fakes.whatsapp.close(), clearBenchRedis()]);
    rmSync(workflowsDir, { recursive: true, force: true });
    if (process.env.BENCH_KEEP_DATABASE) return;
    await dropDatabases(options.adminDatabaseUrl, [`sb_${name}`, `n8n_${name}`]);
    rmSync(join(repoRoot, '.run', name), { recursive: true, force: true });
  };
  const started = Date.now();
  try {
    stack = await startStack(options);
    const n8n = await N8nRest.login(stack.urls.n8n, stack.env.N8N_INSTANCE_OWNER_EMAIL!, stack.env.N8N_OWNER_PASSWORD!);
    const encryptionKey = Buffer.from(stack.env.ENCRYPTION_KEY!, 'base64');
    const { stateDir } = stack;
    const n8nCpuMeter = () => processCpuMeter(pidsRunningIn(stateDir), `n8n_${name}`);
    return { mode, stack, n8n, appAdminUrl: adminUrl.toString(), encryptionKey, fakes, startSeconds: Math.round((Date.now() - started) / 1000), n8nCpuMeter, stop };
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
}

async function dropDatabases(adminUrl: string, names: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    for (const db of names) await client.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
