// Inbound webhook throughput: the real API (backend/src/server.ts, NODE_ENV=production, LOG_LEVEL=warn) and
// the real worker (backend/src/worker.ts, which turns queued deliveries into messages) on a fresh database,
// fed signed Twilio inbound-SMS webhooks at a fixed open-loop rate, then at rising rates to find the highest
// one it sustains; a bare Express 5 hello-world driven the same way is the baseline. The API answers once the
// verified delivery is stored (inbound_queue); the worker's processing rate and drain time are reported too.
// Zero loss: every 200 must end as one more inbound row in `messages`. Usage: npx tsx bench/inbound-webhooks.ts
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { QueryTypes } from 'sequelize';
import { TwilioWebhookSender, twilioSid } from '../tests/fakes/twilio/index.js';
import { createBenchDatabase, ADMIN_URL, type BenchDatabase } from './support/bench-database.js';
import { contactNumber, createBenchWorld, ourNumber, type BenchTenant } from './support/bench-world.js';
import { cpuMeter } from './support/cpu.js';
import { processCpuMeter } from './support/process-cpu.js';
import { runPhase, sustained, type PhaseResult, type Shot } from './support/load-generator.js';
import { freePort, repoDir, startNode, startPrivateRedis, stopAll, waitForHttp, type Child } from './support/processes.js';
import { envNumber, finishContext, machineContext, printTable, writeResults } from './support/report.js';

const PUBLIC_URL = 'https://bench.switchboard.test';
const TARGET_RATE = envNumber('BENCH_INBOUND_RATE', 1000);
const FIXED_SECONDS = envNumber('BENCH_INBOUND_SECONDS', 20);
const STEP_SECONDS = envNumber('BENCH_STEP_SECONDS', 4);
const CONNECTIONS = envNumber('BENCH_CONNECTIONS', 64);
const CONTACTS = envNumber('BENCH_CONTACTS', 2000);
const P99_LIMIT_MS = 50;
const RAMP_UP = 1.5;
const RAMP_DOWN = 1.25;
const RAMP_MAX = envNumber('BENCH_RAMP_MAX', 12_000);
/** Which servers to measure: the baseline, the API as one process, and (when asked) the API as a 2-worker node:cluster. */
const TARGETS = (process.env.BENCH_INBOUND_TARGETS ?? 'baseline,api').split(',');
/** Extra node flags for the single-process API, e.g. BENCH_API_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof". */
/** When the worker runs: 'concurrent' (beside the API, sharing the 2 cores) or 'after' (drains once the load stops: the ack path alone). */
const WORKER_MODE = process.env.BENCH_INBOUND_WORKER === 'after' ? 'after' : 'concurrent';
const WORKER_NICE = envNumber('BENCH_WORKER_NICE', 10);
const API_NODE_ARGS = ['--import', 'tsx', ...(process.env.BENCH_API_NODE_ARGS ?? '').split(' ').filter(Boolean)];

type Target = {
  name: string;
  description: string;
  /** The server first; companions (the worker) after it. */
  start: (port: number) => Child[];
  /** Processes started once the load phases are over (the worker in 'after' mode). */
  afterLoad?: () => Child[];
  shots: (count: number) => Shot[];
  stored?: () => Promise<number>;
  /** Deliveries acknowledged but not processed yet, and parked ones (processing failed for good). */
  backlog?: () => Promise<{ queued: number; parked: number }>;
  /** The database whose backends' CPU is charged to this server. */
  database?: string;
};
type Measured = {
  name: string;
  description: string;
  fixed: PhaseResult & { cpuBusyPercent: number; serverCpuMsPerRequest: number; databaseCpuMsPerRequest?: number; lost?: number; processedPerSecond?: number; backlogAtEnd?: number };
  drainMs?: number;
  parked?: number;
  ramp: (PhaseResult & { sustained: boolean })[];
  maxSustainedRate: number;
};

function webhookShots(tenant: BenchTenant): (count: number) => Shot[] {
  const sender = new TwilioWebhookSender({ publicUrl: PUBLIC_URL, deliverTo: '', accountSid: tenant.accountSid, authToken: tenant.authToken });
  let next = 0;
  return (count) =>
    Array.from({ length: count }, () => {
      const n = next++;
      const hook = sender.inboundSmsWebhook({ from: contactNumber(n % CONTACTS), to: tenant.number, body: `Is a table for ${(n % 6) + 2} free tonight? #${n}`, messageSid: twilioSid('SM') });
      return {
        path: hook.path,
        body: new URLSearchParams(hook.params).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': hook.signature, 'user-agent': 'TwilioProxy/1.1' },
      };
    });
}

const helloShots = (count: number): Shot[] =>
  Array.from({ length: count }, (_, n) => ({ path: '/', body: `n=${n}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } }));

async function measure(target: Target): Promise<Measured> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const [child, ...companions] = target.start(port);
  const children = [child!, ...companions];
  try {
    await waitForHttp(`${origin}/healthz`, 60_000);
    const phase = async (rate: number, seconds: number, maxBacklogSeconds = 5) => {
      const shots = target.shots(Math.round(rate * seconds));
      return runPhase({ origin, connections: CONNECTIONS, rate, durationMs: seconds * 1000, shot: (i) => shots[i]!, maxBacklogSeconds });
    };
    const storedBefore = await target.stored?.();
    console.log(`[${target.name}] warm-up (3 s at 200/s)`);
    const warmUp = await phase(200, 3);
    console.log(`[${target.name}] fixed rate: ${TARGET_RATE}/s for ${FIXED_SECONDS} s over ${CONNECTIONS} connections`);
    const cpu = cpuMeter();
    const processCpu = processCpuMeter(children.map((c) => c.process.pid), target.database);
    const storedAtStart = await target.stored?.();
    const fixed = await phase(TARGET_RATE, FIXED_SECONDS);
    const storedAtEnd = await target.stored?.();
    const backlogAtEnd = (await target.backlog?.())?.queued;
    const processedPerSecond = storedAtStart === undefined ? undefined : Math.round(((storedAtEnd! - storedAtStart) / FIXED_SECONDS) * 10) / 10;
    const cpuBusyPercent = cpu.busyPercent();
    const { appCpuMs, dbCpuMs } = processCpu.read();
    const perRequest = (ms: number) => Math.round((ms / Math.max(1, fixed.ok)) * 100) / 100;
    const cpuPerRequest = { serverCpuMsPerRequest: perRequest(appCpuMs), ...(target.database && { databaseCpuMsPerRequest: perRequest(dbCpuMs) }) };
    const ramp: Measured['ramp'] = [];
    // The highest sustained rate: up from the target (x1.5) while sustained, or down (/1.25) from just under
    // what the fixed phase achieved until sustained.
    const goingUp = sustained(fixed, P99_LIMIT_MS);
    const firstStep = goingUp ? TARGET_RATE * RAMP_UP : Math.min(TARGET_RATE / RAMP_DOWN, fixed.achievedRate * 0.9);
    for (let rate = Math.round(firstStep); rate >= 50 && rate <= RAMP_MAX; ) {
      await new Promise((resolve) => setTimeout(resolve, 1000)); // let the server drain between steps
      const step = await phase(rate, STEP_SECONDS, 2);
      ramp.push({ ...step, sustained: sustained(step, P99_LIMIT_MS) });
      console.log(`[${target.name}] ramp ${rate}/s: ${step.achievedRate}/s, p99 ${step.latencyMs.p99} ms, non-2xx ${step.non2xx + step.errors}${step.stoppedEarlyAfterMs ? ', backlog: stopped early' : ''}`);
      if (goingUp !== sustained(step, P99_LIMIT_MS)) break;
      rate = Math.round(goingUp ? rate * RAMP_UP : rate / RAMP_DOWN);
    }
    // Zero loss, over every phase: each 200 is exactly one more stored inbound message, once the worker drained the queue.
    const drainStarted = Date.now();
    children.push(...(target.afterLoad?.() ?? []));
    const parked = target.backlog ? await drained(target.backlog) : undefined;
    const drainMs = target.backlog ? Date.now() - drainStarted : undefined;
    const answeredOk = [warmUp, fixed, ...ramp].reduce((total, result) => total + result.ok, 0);
    const lost = storedBefore === undefined ? undefined : answeredOk - ((await target.stored!()) - storedBefore);
    const passing = [fixed, ...ramp].filter((result) => sustained(result, P99_LIMIT_MS)).map((result) => result.offeredRate);
    return {
      name: target.name, description: target.description,
      fixed: { ...fixed, cpuBusyPercent, ...cpuPerRequest, ...(lost !== undefined && { lost }), ...(processedPerSecond !== undefined && { processedPerSecond, backlogAtEnd }) },
      ramp, maxSustainedRate: Math.max(0, ...passing), ...(drainMs !== undefined && { drainMs, parked }),
    };
  } finally {
    await Promise.all(children.map((c) => c.stop()));
  }
}

/** Waits until the worker processed every queued delivery (at most 5 minutes); returns the parked count. */
async function drained(backlog: NonNullable<Target['backlog']>): Promise<number> {
  const deadline = Date.now() + 300_000;
  for (;;) {
    const { queued, parked } = await backlog();
    if (queued === 0 || Date.now() > deadline) {
      if (queued > 0) console.log(`queue not drained after 5 minutes: ${queued} deliveries left`);
      return parked;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function apiEnv(db: BenchDatabase, redisUrl: string, encryptionKey: Buffer, port: number): NodeJS.ProcessEnv {
  return {
    NODE_ENV: 'production',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    PUBLIC_URL,
    API_HOST: '127.0.0.1',
    API_PORT: String(port),
    DATABASE_URL: db.appUrl,
    REDIS_URL: redisUrl,
    SESSION_SECRET: randomBytes(32).toString('base64'),
    CLIENT_ADDRESS_SECRET: randomBytes(32).toString('base64'),
    ENCRYPTION_KEY: encryptionKey.toString('base64'),
    N8N_INTERNAL_URL: 'http://127.0.0.1:9',
  };
}

async function main(): Promise<void> {
  const context = await machineContext(ADMIN_URL);
  const db = await createBenchDatabase();
  const redis = await startPrivateRedis();
  const encryptionKey = randomBytes(32);
  try {
    const [tenant] = await createBenchWorld({
      admin: db.admin, appUrl: db.appUrl, encryptionKey, accounts: [{ sid: twilioSid('AC'), authToken: randomBytes(16).toString('hex'), number: ourNumber(0) }],
    });
    const stored = async () =>
      Number((await db.admin.query<{ n: string }>(`SELECT count(*) AS n FROM messages WHERE tenant_id = :t AND direction = 'inbound'`, { replacements: { t: tenant!.tenantId }, type: QueryTypes.SELECT }))[0]!.n);
    const backlog = async () => {
      const [row] = await db.admin.query<{ queued: string; parked: string }>(
        `SELECT count(*) FILTER (WHERE failed_at IS NULL) AS queued, count(*) FILTER (WHERE failed_at IS NOT NULL) AS parked FROM inbound_queue`,
        { type: QueryTypes.SELECT },
      );
      return { queued: Number(row!.queued), parked: Number(row!.parked) };
    };
    // The worker runs at a lower CPU priority (like the compose file's cpu_shares): acknowledgements first,
    // processing in the remaining CPU time. BENCH_WORKER_NICE=0 gives both the same priority.
    const worker = () => startNode('worker', 'src/worker.ts', apiEnv(db, redis.url, encryptionKey, 0), undefined, { nice: WORKER_NICE });
    const workerNow = () => (WORKER_MODE === 'concurrent' ? [worker()] : []);
    const workerAfter = () => (WORKER_MODE === 'after' ? [worker()] : []);
    console.log(`worker (nice ${WORKER_NICE}): ${WORKER_MODE === 'concurrent' ? 'running beside the API during the load' : 'started after the load phases (ack path measured alone)'}`);
    const all: Target[] = [
      { name: 'baseline', description: "bare Express 5: app.post('/', (req, res) => res.send('ok'))", shots: helloShots,
        start: (port) => [startNode('baseline', join(repoDir, 'bench', 'baseline-server.ts'), { PORT: String(port) })] },
      { name: 'api', description: 'switchboard API, 1 process (node --import tsx backend/src/server.ts)', shots: webhookShots(tenant!), stored, backlog, database: db.name,
        start: (port) => [startNode('api', 'src/server.ts', apiEnv(db, redis.url, encryptionKey, port), API_NODE_ARGS), ...workerNow()], afterLoad: workerAfter },
      { name: 'api-cluster', description: 'switchboard API, node:cluster with 2 workers (bench/support/cluster-server.ts)', shots: webhookShots(tenant!), stored, backlog, database: db.name,
        start: (port) => [startNode('api-cluster', join(repoDir, 'bench', 'support', 'cluster-server.ts'), { ...apiEnv(db, redis.url, encryptionKey, port), BENCH_CLUSTER_WORKERS: '2' }), ...workerNow()], afterLoad: workerAfter },
    ];
    const results: Measured[] = [];
    for (const target of all.filter((t) => TARGETS.includes(t.name))) results.push(await measure(target));
    report(results, context);
  } finally {
    await stopAll([redis]);
    await db.drop();
  }
}

function report(results: Measured[], context: Awaited<ReturnType<typeof machineContext>>): void {
  printTable(
    `Inbound webhooks: ${TARGET_RATE}/s offered for ${FIXED_SECONDS} s, open loop, ${CONNECTIONS} keep-alive connections (latency from the due time)`,
    ['server', 'achieved/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'non-2xx', 'lost (all phases)', 'CPU ms/req node (api+worker)', 'CPU ms/req pg', 'machine CPU %', 'max sustained/s'],
    results.map((r) => [
      r.name, r.fixed.achievedRate, r.fixed.latencyMs.p50, r.fixed.latencyMs.p95, r.fixed.latencyMs.p99, r.fixed.latencyMs.max,
      r.fixed.non2xx + r.fixed.errors, r.fixed.lost ?? 'n/a', r.fixed.serverCpuMsPerRequest, r.fixed.databaseCpuMsPerRequest ?? '-',
      r.fixed.cpuBusyPercent, r.maxSustainedRate,
    ]),
  );
  const processing = results.filter((r) => r.drainMs !== undefined);
  if (processing.length > 0) {
    printTable(
      'Processing behind the acknowledgement (worker: contact, conversation, message, keywords, message.received)',
      ['server', 'processed/s during the fixed phase', 'queued at its end', 'drain after the last phase (ms)', 'parked (failed for good)'],
      processing.map((r) => [r.name, r.fixed.processedPerSecond ?? '-', r.fixed.backlogAtEnd ?? '-', r.drainMs!, r.parked ?? 0]),
    );
  }
  console.log(`\nmax sustained = highest offered rate answered >= 97% 2xx with p99 < ${P99_LIMIT_MS} ms (ramp x${RAMP_UP} up or /${RAMP_DOWN} down, ${STEP_SECONDS} s steps)`);
  const verdicts = results.filter((r) => r.name !== 'baseline').map((r) => {
    const met = r.fixed.achievedRate >= TARGET_RATE * 0.97 && r.fixed.latencyMs.p99 < P99_LIMIT_MS && r.fixed.non2xx + r.fixed.errors === 0 && r.fixed.lost === 0;
    const cut = r.fixed.stoppedEarlyAfterMs === undefined ? '' : ` (offering stopped after ${r.fixed.stoppedEarlyAfterMs} ms: over 5 s of requests waiting)`;
    return `${r.name}: target (>= ${TARGET_RATE}/s, p99 < ${P99_LIMIT_MS} ms, zero loss) ${met ? 'MET' : 'NOT MET'}${cut}`;
  });
  for (const verdict of verdicts) console.log(verdict);
  // Slow is a figure; an answered-200-but-not-stored message is a bug.
  if (results.some((r) => (r.fixed.lost ?? 0) !== 0)) process.exitCode = 1;
  const file = writeResults('inbound-webhooks', {
    benchmark: 'inbound-webhooks',
    settings: { targetRate: TARGET_RATE, fixedSeconds: FIXED_SECONDS, stepSeconds: STEP_SECONDS, connections: CONNECTIONS, contacts: CONTACTS, p99LimitMs: P99_LIMIT_MS },
    machine: finishContext(context),
    results: results.map((r) => ({ ...r, ramp: r.ramp.map(({ offeredRate, achievedRate, latencyMs, non2xx, errors, sustained: ok }) => ({ offeredRate, achievedRate, p99Ms: latencyMs.p99, non2xx: non2xx + errors, sustained: ok })) })),
  });
  console.log(`results written to ${file}`);
}

await main();
