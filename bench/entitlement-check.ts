// The entitlement check on the send path (issue 15). Two figures, on a fresh migrated database as the app role
// (row-level security on):
// 1. Per check: checkEntitlement inside an open tenant-scoped transaction, as requestSend and the worker's
//    confirmSendPolicy run it (one query: subscription ⋈ plan version ⋈ agency grace), p50/p99 per case.
// 2. Outbound pipeline throughput, billing on vs off in the same run: the database half of every outbound
//    message, requestSend (policy, message + outbox row) then confirmSendPolicy (the policy again, right before
//    the provider call), 16 at a time, for tenants with an active subscription (billing on) and tenants with none
//    (billing off, an install that does not bill), in alternating rounds so drift on a shared machine hits both.
//    The provider call itself is left out: it costs the same either way and would only dilute the difference.
// Usage: npx tsx bench/entitlement-check.ts
import { randomBytes } from 'node:crypto';
import { createSequelize } from '../backend/src/db/sequelize.js';
import { scopeRunner } from '../backend/src/db/tenant-scope.js';
import { createLogger } from '../backend/src/logger.js';
import { checkEntitlement } from '../backend/src/modules/entitlements/check-entitlement.js';
import type { EntitlementAction } from '../backend/src/modules/entitlements/entitlement-types.js';
import { outboxEventBus } from '../backend/src/modules/events/publish-event.js';
import { confirmSendPolicy } from '../backend/src/modules/messages/confirm-send-policy.js';
import { requestSend } from '../backend/src/modules/messages/request-send.js';
import { enqueueOutbox } from '../backend/src/modules/outbox/enqueue-outbox.js';
import { ADMIN_URL, createBenchDatabase, type BenchDatabase } from './support/bench-database.js';
import { contactNumber, createBenchWorld, ourNumber, type BenchTenant } from './support/bench-world.js';
import { processCpuMeter } from './support/process-cpu.js';
import { envNumber, finishContext, machineContext, printTable, writeResults } from './support/report.js';

const SAMPLES = envNumber('BENCH_CHECK_SAMPLES', 5_000);
const TENANTS_PER_SIDE = envNumber('BENCH_BILLING_TENANTS', 20);
const MESSAGES_PER_ROUND = envNumber('BENCH_BILLING_MESSAGES', 1_000);
/** Rounds per side, alternating on/off/off/on...: the median round is compared, so one noisy round does not decide. */
const ROUNDS = envNumber('BENCH_BILLING_ROUNDS', 6);
const CONCURRENCY = 16;

const ENTITLEMENTS = {
  agents: 3, seats: 10, channels: ['sms', 'web_chat'], features: ['audit.export'],
  allowances: { sms_segments: 1000, voice_minutes: 0, whatsapp_messages: 0, ai_tokens: 0, ai_replies: 0 },
};

async function subscribeAll(db: BenchDatabase, tenants: BenchTenant[], status: 'active' | 'past_due'): Promise<void> {
  const agencyId = tenants[0]!.agencyId;
  const [plan] = (await db.admin.query(`INSERT INTO plans (agency_id, name, currency) VALUES (:agencyId, 'Bench plan', 'usd') RETURNING id`,
    { replacements: { agencyId } }))[0] as { id: string }[];
  const [version] = (await db.admin.query(
    `INSERT INTO plan_versions (plan_id, agency_id, version, monthly_price_minor, entitlements, created_by, stripe_sync_status)
     VALUES (:planId, :agencyId, 1, 4900, CAST(:entitlements AS jsonb), 'bench', 'not_connected') RETURNING id`,
    { replacements: { planId: plan!.id, agencyId, entitlements: JSON.stringify(ENTITLEMENTS) } }))[0] as { id: string }[];
  for (const t of tenants) {
    await db.admin.query(
      `INSERT INTO subscriptions (agency_id, tenant_id, plan_version_id, status, billing, interval, current_period_start, current_period_end, past_due_since)
       VALUES (:agencyId, :tenantId, :versionId, :status, 'manual', 'month', now(), now() + interval '1 month', CASE WHEN :status = 'past_due' THEN now() ELSE NULL END)`,
      { replacements: { agencyId: t.agencyId, tenantId: t.tenantId, versionId: version!.id, status } },
    );
  }
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const ms = (value: number) => Math.round(value * 1000) / 1000;

/** SAMPLES checks, sequential, inside open tenant transactions (200 per transaction, tenants in turn). */
async function timeChecks(runInScope: ReturnType<typeof scopeRunner>, database: string, tenants: BenchTenant[], action: EntitlementAction, rollback = false) {
  const durations: number[] = [];
  const meter = processCpuMeter([process.pid], database);
  for (let done = 0, i = 0; done < SAMPLES; i += 1) {
    const scope = { agencyId: tenants[i % tenants.length]!.agencyId, tenantId: tenants[i % tenants.length]!.tenantId };
    await runInScope(scope, async (tx) => {
      for (let k = 0; k < 200 && done < SAMPLES; k += 1, done += 1) {
        const started = performance.now();
        await checkEntitlement(tx, scope, action);
        durations.push(performance.now() - started);
      }
      if (rollback) throw new RollbackSignal();
    }).catch((err: unknown) => { if (!(err instanceof RollbackSignal)) throw err; });
  }
  const used = meter.read();
  durations.sort((a, b) => a - b);
  // CPU per check (node + PostgreSQL backends), transaction begin/commit included: an upper bound.
  const cpuMs = ms((used.appCpuMs + used.dbCpuMs) / SAMPLES);
  return { p50: ms(percentile(durations, 50)), p99: ms(percentile(durations, 99)), max: ms(durations.at(-1)!), cpuMs };
}
class RollbackSignal extends Error {}

/** One round of the pipeline's database half for `count` messages over `tenants`: messages per second. */
async function pipelineRound(deps: Parameters<typeof requestSend>[0], tenants: BenchTenant[], count: number, tag: string): Promise<number> {
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < count; i = next++) {
      const tenant = tenants[i % tenants.length]!;
      const scope = { agencyId: tenant.agencyId, tenantId: tenant.tenantId };
      const { message, decision } = await requestSend(deps, scope, {
        to: contactNumber(i % 500), channel: 'sms', body: `Your table is booked (${tag} #${i})`, idempotencyKey: `${tag}-${i}`, source: 'api',
      });
      if (decision.decision !== 'allow') throw new Error(`message ${i} was not allowed: ${decision.reason.code}`);
      const clearance = await confirmSendPolicy(deps, { ...scope, messageId: message.id });
      if (clearance.action !== 'send') throw new Error(`message ${i} was not cleared: ${clearance.action}`);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  return (count / (performance.now() - started)) * 1000;
}

async function main(): Promise<void> {
  const context = await machineContext(ADMIN_URL);
  const db = await createBenchDatabase();
  const app = createSequelize(db.appUrl, createLogger({ logLevel: 'silent' }), { poolMax: CONCURRENCY });
  try {
    const accounts = Array.from({ length: TENANTS_PER_SIDE * 3 }, (_, i) => ({
      sid: `AC${randomBytes(16).toString('hex')}`, authToken: randomBytes(16).toString('hex'), number: ourNumber(i),
    }));
    const tenants = await createBenchWorld({ admin: db.admin, appUrl: db.appUrl, encryptionKey: randomBytes(32), permissivePolicy: true, accounts });
    const billed = tenants.slice(0, TENANTS_PER_SIDE);
    const unbilled = tenants.slice(TENANTS_PER_SIDE, TENANTS_PER_SIDE * 2);
    const pastDue = tenants.slice(TENANTS_PER_SIDE * 2);
    await subscribeAll(db, billed, 'active');
    await subscribeAll(db, pastDue, 'past_due');
    const runInScope = scopeRunner(app);
    console.log(`${SAMPLES} checks per case; pipeline: ${ROUNDS} rounds x ${MESSAGES_PER_ROUND} messages per side, ${TENANTS_PER_SIDE} tenants per side, ${CONCURRENCY} at a time`);

    // 1. Per check.
    const send: EntitlementAction = { kind: 'send', transactional: false };
    await timeChecks(runInScope, db.name, billed, send); // warm-up
    const checks = {
      sendActive: await timeChecks(runInScope, db.name, billed, send),
      sendNoSubscription: await timeChecks(runInScope, db.name, unbilled, send),
      sendPastDueInGrace: await timeChecks(runInScope, db.name, pastDue, send),
      agentCreateLocked: await timeChecks(runInScope, db.name, billed, { kind: 'agent.create' }, true),
    };

    // 2. Pipeline throughput, billing on vs off, alternating rounds (a warm-up round each first).
    const deps = { runInScope, events: outboxEventBus(app), enqueueOutbox };
    const tag = randomBytes(3).toString('hex');
    await pipelineRound(deps, billed, 300, `${tag}-warm-on`);
    await pipelineRound(deps, unbilled, 300, `${tag}-warm-off`);
    const on: number[] = [];
    const off: number[] = [];
    const cpu = { on: 0, off: 0 };
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const side of round % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const)) {
        const meter = processCpuMeter([process.pid], db.name);
        const rate = await pipelineRound(deps, side === 'on' ? billed : unbilled, MESSAGES_PER_ROUND, `${tag}-${round}-${side}`);
        const used = meter.read();
        cpu[side] += used.appCpuMs + used.dbCpuMs;
        (side === 'on' ? on : off).push(Math.round(rate));
        console.log(`round ${round + 1} billing ${side}: ${Math.round(rate)} msgs/s`);
      }
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const lossPercent = Math.round(((median(off) - median(on)) / median(off)) * 1000) / 10;
    const cpuPerMessage = { on: ms(cpu.on / (ROUNDS * MESSAGES_PER_ROUND)), off: ms(cpu.off / (ROUNDS * MESSAGES_PER_ROUND)) };
    const cpuLossPercent = Math.round(((cpuPerMessage.on - cpuPerMessage.off) / cpuPerMessage.on) * 1000) / 10;
    // Against no check at all (billing off still asks, and finds no row): each message is checked twice.
    const checkSharePercent = Math.round(((2 * checks.sendActive.cpuMs) / cpuPerMessage.on) * 1000) / 10;
    const results = {
      settings: { samples: SAMPLES, tenantsPerSide: TENANTS_PER_SIDE, messagesPerRound: MESSAGES_PER_ROUND, rounds: ROUNDS, concurrency: CONCURRENCY },
      checkMs: checks,
      pipeline: { billingOnPerSecond: on, billingOffPerSecond: off, medianOn: median(on), medianOff: median(off), lossPercent, cpuMsPerMessage: cpuPerMessage, cpuLossPercent, checkSharePercent },
    };
    printTable('Entitlement check, per call inside an open tenant transaction (ms)', ['case', 'p50', 'p99', 'max', 'CPU ms/check'], [
      ['send, active subscription (1 query)', ...Object.values(checks.sendActive)],
      ['send, no subscription (1 query, no row)', ...Object.values(checks.sendNoSubscription)],
      ['send, past due in grace (+ grace read at agency scope)', ...Object.values(checks.sendPastDueInGrace)],
      ['agent.create (row locked + count of agents)', ...Object.values(checks.agentCreateLocked)],
    ]);
    printTable('Outbound pipeline, database half (requestSend + confirmSendPolicy), same run', ['billing', 'msgs/s per round', 'median msgs/s', 'CPU ms/msg (node+pg)'], [
      ['on (active subscription)', on.join(', '), median(on), cpuPerMessage.on],
      ['off (no subscription)', off.join(', '), median(off), cpuPerMessage.off],
      ['loss with billing on (target < 5 %)', '', `${lossPercent} %`, `${cpuLossPercent} %`],
    ]);
    console.log(`the check's CPU against no check at all: 2 checks x ${checks.sendActive.cpuMs} ms = ${checkSharePercent} % of a message's ${cpuPerMessage.on} ms`);
    console.log(`results written to ${writeResults('entitlement-check', { benchmark: 'entitlement-check', machine: finishContext(context), results })}`);
  } finally {
    await app.close();
    await db.drop();
  }
}

await main();
