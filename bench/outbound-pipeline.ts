// Outbound pipeline: 10,000 SMS through the real pipeline, end to end. requestSend (policy, message + outbox row
// in one transaction) -> outbox relay -> bull -> 2 worker processes (node --import tsx backend/src/worker.ts)
// -> TwilioMessaging (official SDK) -> the fake Twilio REST API, across 50 senders (one tenant and number each)
// paced per sender through the sender_pacing table. The messages are asked for first (a campaign's backlog),
// then the workers drain it. A second, small batch on 5 senders is bound by pacing, to check the pace the
// provider really sees. BENCH_RECEIPTS=1 also sends the fake's signed delivery receipts to the real API
// (messages end `delivered`). Usage: npx tsx bench/outbound-pipeline.ts
import { randomBytes } from 'node:crypto';
import { QueryTypes } from 'sequelize';
import { createSequelize } from '../backend/src/db/sequelize.js';
import { scopeRunner } from '../backend/src/db/tenant-scope.js';
import { createLogger } from '../backend/src/logger.js';
import { outboxEventBus } from '../backend/src/modules/events/publish-event.js';
import { requestSend } from '../backend/src/modules/messages/request-send.js';
import { enqueueOutbox } from '../backend/src/modules/outbox/enqueue-outbox.js';
import { FakeTwilio } from '../tests/fakes/twilio/index.js';
import { ADMIN_URL, createBenchDatabase, type BenchDatabase } from './support/bench-database.js';
import { contactNumber, createBenchWorld, ourNumber, type BenchTenant } from './support/bench-world.js';
import { cpuMeter } from './support/cpu.js';
import { processCpuMeter } from './support/process-cpu.js';
import { freePort, sleep, startNode, startPrivateRedis, stopAll, waitForHttp, waitForOutput, type Child } from './support/processes.js';
import { envNumber, finishContext, machineContext, printTable, writeResults } from './support/report.js';

const PUBLIC_URL = 'https://bench.switchboard.test';
const MESSAGES = envNumber('BENCH_OUTBOUND_MESSAGES', 10_000);
const SENDERS = envNumber('BENCH_OUTBOUND_SENDERS', 50);
/** Per sender; the adapter's default for a US long code is 1/s (10,000 messages would take 200 s). */
const SENDER_RATE = envNumber('BENCH_SENDER_RATE', 10);
const WORKERS = envNumber('BENCH_WORKERS', 2);
const CONCURRENCY = envNumber('BENCH_WORKER_CONCURRENCY', 10);
/** The pacing-bound batch: few senders, so their pace (not the machine) limits the rate. */
const PACED_SENDERS = Math.min(5, SENDERS);
const PACED_MESSAGES = envNumber('BENCH_PACED_MESSAGES', 500);
const ENQUEUE_CONCURRENCY = 16;
/** Delivery receipts (2 signed status webhooks per message) to the real API, so messages end `delivered`. */
const RECEIPTS = process.env.BENCH_RECEIPTS === '1';
const TIMEOUT_MS = envNumber('BENCH_OUTBOUND_TIMEOUT_SECONDS', 150) * 1000;
const FINAL = new Set(['sent', 'delivered', 'read', 'failed', 'undelivered', 'dead', 'denied']);

type Counts = Record<string, number>;
type CpuSplit = { node: number; postgres: number };

function serviceEnv(db: BenchDatabase, redisUrl: string, encryptionKey: Buffer, fakeUrl: string): NodeJS.ProcessEnv {
  return {
    NODE_ENV: 'production',
    LOG_LEVEL: 'info', // quiet in steady state; "switchboard worker started" tells us a worker is up
    PUBLIC_URL,
    API_HOST: '127.0.0.1',
    DATABASE_URL: db.appUrl,
    REDIS_URL: redisUrl,
    SESSION_SECRET: randomBytes(32).toString('base64'),
    CLIENT_ADDRESS_SECRET: randomBytes(32).toString('base64'),
    ENCRYPTION_KEY: encryptionKey.toString('base64'),
    N8N_INTERNAL_URL: 'http://127.0.0.1:9',
    TWILIO_API_BASE_URL: fakeUrl,
    PIPELINE_CONCURRENCY: String(CONCURRENCY),
  };
}

/** Asks for `count` messages through the real use case, round-robin over the tenants (senders); `done` runs before the pool closes. */
async function requestMany<T>(db: BenchDatabase, tenants: BenchTenant[], count: number, done: () => T): Promise<T> {
  const app = createSequelize(db.appUrl, createLogger({ logLevel: 'silent' }), { poolMax: ENQUEUE_CONCURRENCY });
  const deps = { runInScope: scopeRunner(app), events: outboxEventBus(app), enqueueOutbox };
  const tag = randomBytes(3).toString('hex');
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < count; i = next++) {
      const tenant = tenants[i % tenants.length]!;
      const { decision } = await requestSend(deps, tenant, {
        to: contactNumber(i), channel: 'sms', body: `Your table is booked (${tag} #${i})`, idempotencyKey: `${tag}-${i}`, source: 'api',
      });
      if (decision.decision !== 'allow') throw new Error(`message ${i} was not allowed: ${decision.reason}`);
    }
  };
  try {
    await Promise.all(Array.from({ length: ENQUEUE_CONCURRENCY }, lane));
    return done();
  } finally {
    await app.close();
  }
}

async function statusCounts(db: BenchDatabase): Promise<Counts> {
  const rows = await db.admin.query<{ status: string; n: string }>(
    `SELECT status, count(*) AS n FROM messages WHERE direction = 'outbound' GROUP BY status`, { type: QueryTypes.SELECT },
  );
  return Object.fromEntries(rows.map((row) => [row.status, Number(row.n)]));
}

const sum = (counts: Counts, keep: (status: string) => boolean) =>
  Object.entries(counts).filter(([status]) => keep(status)).reduce((total, [, n]) => total + n, 0);

async function waitUntil(db: BenchDatabase, done: (counts: Counts) => boolean, timeoutMs: number): Promise<Counts> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = await statusCounts(db);
    if (done(counts) || Date.now() > deadline) return counts;
    await sleep(250);
  }
}

const allFinal = (total: number) => (counts: Counts) => sum(counts, (status) => FINAL.has(status)) >= total;

async function lastSentAt(db: BenchDatabase): Promise<number> {
  const [row] = await db.admin.query<{ last: Date | null }>(`SELECT max(sent_at) AS last FROM messages WHERE direction = 'outbound'`, { type: QueryTypes.SELECT });
  return row?.last ? row.last.getTime() : Date.now();
}

/** Per sender, the most create-message requests the fake accepted within any 1 s (sliding window over its request log). */
function maxPerSecond(fake: FakeTwilio, fromRequest: number): { max: number; median: number } {
  const bySender = new Map<string, number[]>();
  for (const r of fake.requests.slice(fromRequest)) {
    if (r.method !== 'POST' || !r.path.endsWith('/Messages.json') || r.status !== 201) continue;
    bySender.set(r.form.From ?? '', [...(bySender.get(r.form.From ?? '') ?? []), Date.parse(r.at)]);
  }
  const best = [...bySender.values()].map((times) => {
    times.sort((a, b) => a - b);
    let most = 0;
    for (let start = 0, end = 0; end < times.length; end += 1) {
      while (times[end]! - times[start]! >= 1000) start += 1;
      most = Math.max(most, end - start + 1);
    }
    return most;
  }).sort((a, b) => a - b);
  return { max: best.at(-1) ?? 0, median: best[Math.floor(best.length / 2)] ?? 0 };
}

const perMessage = (ms: number, count: number): number => Math.round((ms / count) * 100) / 100;

async function startServices(env: NodeJS.ProcessEnv, fake: FakeTwilio, children: Child[]): Promise<Child[]> {
  if (RECEIPTS) {
    const port = await freePort();
    children.push(startNode('api', 'src/server.ts', { ...env, API_PORT: String(port), LOG_LEVEL: 'warn' }));
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, 60_000);
    fake.callbacks.deliverTo = `http://127.0.0.1:${port}`;
  } else {
    fake.callbacks.enabled = false;
  }
  const workers = Array.from({ length: WORKERS }, (_, i) => startNode(`worker ${i}`, 'src/worker.ts', env));
  children.push(...workers);
  await Promise.all(workers.map((worker) => waitForOutput(worker, 'switchboard worker started')));
  return workers;
}

async function main(): Promise<void> {
  const context = await machineContext(ADMIN_URL);
  const db = await createBenchDatabase();
  const redis = await startPrivateRedis();
  const fake = await FakeTwilio.start({ stepMs: 200 });
  const encryptionKey = randomBytes(32);
  const children: Child[] = [];
  try {
    const accounts = Array.from({ length: SENDERS }, (_, i) => ({ ...fake.addAccount(), number: ourNumber(i) }));
    const tenants = await createBenchWorld({
      admin: db.admin, appUrl: db.appUrl, encryptionKey, permissivePolicy: true, smsMessagesPerSecond: SENDER_RATE,
      accounts: accounts.map((a) => ({ sid: a.sid, authToken: a.authToken, number: a.number })),
    });
    console.log(`${MESSAGES} messages, ${SENDERS} senders at ${SENDER_RATE}/s each, ${WORKERS} workers x concurrency ${CONCURRENCY}, receipts ${RECEIPTS ? 'on' : 'off'}`);

    // 1. A campaign's backlog: every message asked for first (policy, message + outbox row), then the workers drain it.
    const requestStartedAt = Date.now();
    const requestCpu = processCpuMeter([process.pid], db.name);
    const requestSendCpu = await requestMany(db, tenants, MESSAGES, () => requestCpu.read());
    const requestSendMs = Date.now() - requestStartedAt;
    console.log(`requestSend x ${MESSAGES}: ${requestSendMs} ms; starting ${WORKERS} workers`);
    const machineCpu = cpuMeter();
    const spawnedAt = Date.now();
    const workers = await startServices(serviceEnv(db, redis.url, encryptionKey, fake.url), fake, children);
    const startedAt = Date.now();
    const drainCpu = processCpuMeter(workers.map((worker) => worker.process.pid), db.name);
    await waitUntil(db, allFinal(MESSAGES), TIMEOUT_MS);
    const drainMs = (await lastSentAt(db)) - startedAt;
    const machineCpuBusyPercent = machineCpu.busyPercent();
    const drainCpuUsed = drainCpu.read();
    const drainPacing = maxPerSecond(fake, 0);

    // 2. The pacing-bound batch: PACED_SENDERS senders, so the configured pace is the limit.
    console.log(`pacing check: ${PACED_MESSAGES} more messages on ${PACED_SENDERS} senders (ceiling ${PACED_SENDERS * SENDER_RATE}/s)`);
    const logMark = fake.requests.length;
    const pacedStartedAt = Date.now();
    await requestMany(db, tenants.slice(0, PACED_SENDERS), PACED_MESSAGES, () => undefined);
    await waitUntil(db, allFinal(MESSAGES + PACED_MESSAGES), TIMEOUT_MS);
    const pacedMs = (await lastSentAt(db)) - pacedStartedAt;
    const pacedPacing = maxPerSecond(fake, logMark);

    const total = MESSAGES + PACED_MESSAGES;
    const final = RECEIPTS ? await waitUntil(db, (counts) => (counts.delivered ?? 0) >= total, 60_000) : await statusCounts(db);
    await fake.settled();
    const createRequests = fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/Messages.json')).length;
    const results = {
      settings: { messages: MESSAGES, senders: SENDERS, senderRatePerSecond: SENDER_RATE, workers: WORKERS, workerConcurrency: CONCURRENCY, receipts: RECEIPTS },
      backlog: {
        requestSendMs,
        requestSendPerSecond: Math.round((MESSAGES / requestSendMs) * 1000),
        workerBootMs: startedAt - spawnedAt,
        drainMs,
        throughputPerSecond: Math.round((MESSAGES / drainMs) * 1000),
        pacingCeilingPerSecond: SENDERS * SENDER_RATE,
        maxPerSenderInAnySecond: drainPacing.max,
        medianSenderMaxInAnySecond: drainPacing.median,
        machineCpuBusyPercent,
        cpuMsPerMessage: {
          requestSend: { node: perMessage(requestSendCpu.appCpuMs, MESSAGES), postgres: perMessage(requestSendCpu.dbCpuMs, MESSAGES) },
          workers: { node: perMessage(drainCpuUsed.appCpuMs, MESSAGES), postgres: perMessage(drainCpuUsed.dbCpuMs, MESSAGES) },
        },
      },
      pacingCheck: {
        messages: PACED_MESSAGES, senders: PACED_SENDERS, ms: pacedMs, throughputPerSecond: Math.round((PACED_MESSAGES / pacedMs) * 1000),
        maxPerSenderInAnySecond: pacedPacing.max, medianSenderMaxInAnySecond: pacedPacing.median,
      },
      providerAccepted: fake.messages.length,
      providerCreateRequests: createRequests,
      duplicatesAtProvider: fake.duplicates().length,
      finalStatuses: final,
      allSentOrDelivered: sum(final, (status) => status === 'sent' || status === 'delivered') === total,
    };
    report(results, finishContext(context));
    if (!results.allSentOrDelivered || results.duplicatesAtProvider > 0) process.exitCode = 1;
  } finally {
    await stopAll(children);
    await fake.close();
    await stopAll([redis]);
    await db.drop();
  }
}

type Results = {
  backlog: Record<string, number | object> & { cpuMsPerMessage: { requestSend: CpuSplit; workers: CpuSplit } };
  pacingCheck: Record<string, number>;
  finalStatuses: Counts;
  [key: string]: unknown;
};

function report(r: Results, machine: unknown): void {
  const b = r.backlog;
  const cpu = b.cpuMsPerMessage;
  const p = r.pacingCheck;
  printTable(`Outbound pipeline: requestSend -> outbox -> bull -> worker x${WORKERS} -> Twilio SDK -> fake Twilio`, ['figure', 'value'], [
    ['backlog', `${MESSAGES} messages, ${SENDERS} senders x ${SENDER_RATE}/s (sender_pacing; ceiling ${String(b.pacingCeilingPerSecond)}/s)`],
    ['workers x concurrency', `${WORKERS} x ${CONCURRENCY}`],
    ['requestSend, all messages', `${String(b.requestSendMs)} ms (${String(b.requestSendPerSecond)}/s, ${ENQUEUE_CONCURRENCY} at a time)`],
    ['workers started -> last sent', `${String(b.drainMs)} ms (worker boot ${String(b.workerBootMs)} ms not counted)`],
    ['pipeline throughput', `${String(b.throughputPerSecond)} msgs/s`],
    ['max per sender in any 1 s', `${String(b.maxPerSenderInAnySecond)} (median sender ${String(b.medianSenderMaxInAnySecond)}; configured ${SENDER_RATE})`],
    ['CPU ms/message, requestSend', `node ${cpu.requestSend.node}, postgres ${cpu.requestSend.postgres}`],
    ['CPU ms/message, workers', `node ${cpu.workers.node}, postgres ${cpu.workers.postgres} (relay, send, events)`],
    ['machine CPU busy % (drain)', String(b.machineCpuBusyPercent)],
    ['pacing check', `${p.messages} messages on ${p.senders} senders: ${p.throughputPerSecond} msgs/s (ceiling ${p.senders! * SENDER_RATE}/s)`],
    ['  max per sender in any 1 s', `${p.maxPerSenderInAnySecond} (median sender ${p.medianSenderMaxInAnySecond}; configured ${SENDER_RATE})`],
    ['accepted by the fake', `${String(r.providerAccepted)} (${String(r.providerCreateRequests)} create requests)`],
    ['duplicates at the fake', String(r.duplicatesAtProvider)],
    ['final statuses', JSON.stringify(r.finalStatuses)],
    ['all sent or delivered', r.allSentOrDelivered ? 'yes' : 'NO'],
  ]);
  console.log(`results written to ${writeResults('outbound-pipeline', { benchmark: 'outbound-pipeline', machine, results: r })}`);
}

await main();
