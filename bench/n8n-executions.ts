// n8n executions per second through the real n8n 2.40.7 with our nodes, in regular mode (main runs every
// execution) and in queue mode (main + `n8n worker --concurrency=10`), each on its own native stack (API,
// worker, n8n; Twilio and WhatsApp faked). Per mode: a plain Webhook -> Set workflow at rising rates (n8n's own
// benchmark shape, the baseline), then the shipped after-call workflow (statusWaitMinutes 0) fed signed
// call.missed deliveries at a fixed open-loop rate, then at rising/falling rates for the max sustained rate.
// Usage: flock /tmp/sb-e2e.lock npx tsx bench/n8n-executions.ts   (one stack at a time on a small machine)
import { ADMIN_URL } from './support/bench-database.js';
import { arrangeAfterCall } from './support/n8n-after-call.js';
import { afterCallPhase, baselineRamp, type AfterCallResult, type BaselineStep } from './support/n8n-phases.js';
import { startBenchStack } from './support/n8n-stack.js';
import { AFTER_CALL_ID, baselineWorkflow } from './support/n8n-workflows.js';
import { envNumber, finishContext, machineContext, printTable, writeResults } from './support/report.js';

const MODES = (process.env.BENCH_N8N_MODES ?? 'regular,queue').split(',') as ('regular' | 'queue')[];
const CONNECTIONS = envNumber('BENCH_CONNECTIONS', 32);
const BASELINE_FIRST = envNumber('BENCH_N8N_BASELINE_FIRST_RATE', 5);
const BASELINE_MAX = envNumber('BENCH_N8N_BASELINE_MAX_RATE', 600);
const STEP_SECONDS = envNumber('BENCH_STEP_SECONDS', 5);
const P99_LIMIT_MS = envNumber('BENCH_N8N_P99_MS', 1000);
const AFTER_CALL_RATE = envNumber('BENCH_N8N_AFTER_CALL_RATE', 6);
const AFTER_CALL_SECONDS = envNumber('BENCH_N8N_AFTER_CALL_SECONDS', 20);
const AFTER_CALL_STEPS = envNumber('BENCH_N8N_AFTER_CALL_STEPS', 3);
/** Sustained: every execution done, without error, at most this long after the last delivery. */
const DRAIN_LIMIT_MS = envNumber('BENCH_N8N_DRAIN_LIMIT_MS', 5000);
const DRAIN_WAIT_MS = envNumber('BENCH_N8N_DRAIN_WAIT_MS', 30_000);
const PUBLISHED = { regular: '220 exec/s (single instance, c5a.large 2 vCPU, Webhook -> Set)', queue: '72 req/s, 0% failures (queue mode, 2 vCPU, 200 VUs)' };

type ModeResult = { mode: 'regular' | 'queue'; stackStartSeconds: number; baseline: BaselineStep[]; afterCall: AfterCallResult; afterCallRamp: AfterCallResult[] };

async function measureMode(mode: 'regular' | 'queue'): Promise<ModeResult> {
  console.log(`\n=== n8n ${mode} mode: starting a stack ===`);
  const bench = await startBenchStack(mode);
  try {
    console.log(`[${mode}] stack ready in ${bench.startSeconds} s; importing and publishing the Webhook -> Set baseline`);
    await bench.n8n.importAndActivate(baselineWorkflow());
    const baseline = await baselineRamp(bench.stack.urls.n8n, bench.n8nCpuMeter, { firstRate: BASELINE_FIRST, maxRate: BASELINE_MAX, stepSeconds: STEP_SECONDS, connections: CONNECTIONS, p99LimitMs: P99_LIMIT_MS });
    const target = { ...(await arrangeAfterCall(bench)), workflowId: AFTER_CALL_ID };
    const phase = (rate: number, seconds: number) => afterCallPhase(bench.n8n, bench.n8nCpuMeter, target, { rate, seconds, connections: CONNECTIONS, drainWaitMs: DRAIN_WAIT_MS, drainLimitMs: DRAIN_LIMIT_MS });
    console.log(`[${mode}] after-call warm-up (3 s at 2/s), then ${AFTER_CALL_RATE}/s for ${AFTER_CALL_SECONDS} s`);
    await phase(2, 3);
    const afterCall = await phase(AFTER_CALL_RATE, AFTER_CALL_SECONDS);
    logAfterCall(mode, afterCall);
    // Max sustained: up x1.5 from the fixed rate while sustained, or down /1.5 (from under what was completed) until sustained.
    const goingUp = afterCall.sustained;
    const afterCallRamp: AfterCallResult[] = [];
    let rate = goingUp ? AFTER_CALL_RATE * 1.5 : Math.min(AFTER_CALL_RATE / 1.5, afterCall.completedPerSecond * 0.9);
    for (let i = 0; i < AFTER_CALL_STEPS && rate >= 1; i += 1) {
      const step = await phase(Math.round(rate * 10) / 10, Math.max(STEP_SECONDS, 8));
      afterCallRamp.push(step);
      logAfterCall(mode, step);
      if (step.sustained !== goingUp) break;
      rate = goingUp ? rate * 1.5 : rate / 1.5;
    }
    return { mode, stackStartSeconds: bench.startSeconds, baseline, afterCall, afterCallRamp };
  } finally {
    await bench.stop();
  }
}

function logAfterCall(mode: string, r: AfterCallResult): void {
  console.log(`  [${mode}] after-call ${r.offeredRate}/s: ${r.completedPerSecond} completed/s, run p95 ${r.runMs.p95} ms, end-to-end p95 ${r.endToEndMs.p95} ms, ` +
    `failed ${r.failedExecutions} + ${r.deliveryFailures} deliveries, unfinished ${r.unfinished}, drain ${r.drainMs ?? 'n/a'} ms, delivery p95 ${r.deliveryMs.p95} ms${stoppedEarly(r)}${r.sustained ? ' (sustained)' : ''}`);
  if (r.firstExecutionError) console.log(`    first failed execution: ${r.firstExecutionError}`);
  if (r.firstDeliveryError) console.log(`    first failed delivery: ${r.firstDeliveryError}`);
}

function baselineRow(label: string, step: BaselineStep | undefined, max: number | string): (string | number)[] {
  if (!step) return [label, '-', '-', '-', '-', '-', '-', '-', '-', '-', max];
  const { offeredRate, achievedRate, latencyMs, non2xx, errors, cpu } = step;
  return [label, offeredRate, achievedRate, latencyMs.p50, latencyMs.p95, latencyMs.p99, non2xx + errors, cpu.n8nMsPerExecution, cpu.n8nDbMsPerExecution, '-', max];
}

/** Deliveries not offered because n8n's webhook endpoint fell more than 5 s behind (see load-generator.ts). */
function stoppedEarly(r: AfterCallResult): string {
  return r.stoppedEarlyAfterMs === undefined ? '' : ` (offering stopped at ${(r.stoppedEarlyAfterMs / 1000).toFixed(1)} s, ${r.delivered} delivered)`;
}

function maxSustained(rates: { offeredRate: number; sustained: boolean }[]): number {
  return Math.max(0, ...rates.filter((r) => r.sustained).map((r) => r.offeredRate));
}

function report(results: ModeResult[], context: Awaited<ReturnType<typeof machineContext>>): void {
  for (const r of results) {
    const best = r.baseline.filter((s) => s.sustained).at(-1) ?? r.baseline[0];
    const last = r.baseline.at(-1);
    const a = r.afterCall;
    const afterCallMax = maxSustained([a, ...r.afterCallRamp]);
    printTable(
      `n8n ${r.mode} mode${r.mode === 'queue' ? ' (main + n8n worker --concurrency=10)' : ''}: open loop, ${CONNECTIONS} connections; n8n published: ${PUBLISHED[r.mode]}`,
      ['workload', 'offered/s', 'completed exec/s', 'p50 ms', 'p95 ms', 'p99 ms', 'failures', 'CPU ms/exec n8n', 'CPU ms/exec n8n pg', 'machine CPU %', 'max sustained/s'],
      [
        baselineRow('baseline Webhook -> Set (best sustained step, HTTP = execution)', best, maxSustained(r.baseline)),
        baselineRow('baseline, highest step tried', last, ''),
        [`after-call, ${AFTER_CALL_SECONDS} s (execution run time)${stoppedEarly(a)}`, a.offeredRate, a.completedPerSecond, a.runMs.p50, a.runMs.p95, a.runMs.p99, a.failedExecutions + a.deliveryFailures + a.unfinished, a.cpu.n8nMsPerExecution, a.cpu.n8nDbMsPerExecution, a.cpuBusyPercent, afterCallMax],
        ['after-call, delivery arrival -> execution end', '', '', a.endToEndMs.p50, a.endToEndMs.p95, a.endToEndMs.p99, '', '', '', '', ''],
        ...r.afterCallRamp.map((s) => [`after-call step${s.sustained ? ' (sustained)' : ''}, drain ${s.drainMs ?? 'n/a'} ms${stoppedEarly(s)}`, s.offeredRate, s.completedPerSecond, s.runMs.p50, s.runMs.p95, s.runMs.p99, s.failedExecutions + s.deliveryFailures + s.unfinished, s.cpu.n8nMsPerExecution, s.cpu.n8nDbMsPerExecution, s.cpuBusyPercent, '']),
      ],
    );
  }
  console.log(`\nsustained: baseline >= 97% of the offered rate answered 2xx with p99 < ${P99_LIMIT_MS} ms; after-call: every delivery 2xx, every execution successful and done <= ${DRAIN_LIMIT_MS} ms after the last delivery`);
  const file = writeResults('n8n-executions', {
    benchmark: 'n8n-executions',
    settings: { connections: CONNECTIONS, stepSeconds: STEP_SECONDS, p99LimitMs: P99_LIMIT_MS, afterCallRate: AFTER_CALL_RATE, afterCallSeconds: AFTER_CALL_SECONDS, drainLimitMs: DRAIN_LIMIT_MS },
    published: PUBLISHED,
    machine: finishContext(context),
    results: results.map((r) => ({
      ...r,
      baselineMaxSustained: maxSustained(r.baseline),
      afterCallMaxSustained: maxSustained([r.afterCall, ...r.afterCallRamp]),
      baseline: r.baseline.map(({ offeredRate, achievedRate, latencyMs, non2xx, errors, sustained, stoppedEarlyAfterMs, cpu }) => ({ offeredRate, achievedRate, latencyMs, failures: non2xx + errors, sustained, stoppedEarlyAfterMs, cpu })),
    })),
  });
  console.log(`results written to ${file}`);
}

async function main(): Promise<void> {
  const context = await machineContext(ADMIN_URL);
  const results: ModeResult[] = [];
  for (const mode of MODES) results.push(await measureMode(mode));
  report(results, context);
}

await main();
