import { cpuMeter } from './cpu.js';
import { runPhase, sustained, type PhaseResult } from './load-generator.js';
import { missedCallShots, type AfterCallTarget } from './n8n-after-call.js';
import type { N8nExecution, N8nRest } from './n8n-rest.js';
import { BASELINE_PATH } from './n8n-workflows.js';
import { sleep } from './processes.js';

// The two kinds of load the n8n benchmark puts on one stack. The baseline answers with its last node, so
// the HTTP round trip is the execution. The after-call trigger answers as soon as the delivery is verified
// (onReceived), so its executions are counted and timed afterwards from n8n's executions API.
export type Latency = { p50: number; p95: number; p99: number; max: number };

export type AfterCallResult = {
  offeredRate: number;
  seconds: number;
  delivered: number;
  /** Deliveries answered non-2xx or not at all. */
  deliveryFailures: number;
  succeeded: number;
  /** Executions that ended in error, crashed or were canceled. */
  failedExecutions: number;
  /** Delivered but still unfinished when the drain wait ended. */
  unfinished: number;
  /** Successful executions per second, from the first delivery's due time to the last execution's end. */
  completedPerSecond: number;
  /** stoppedAt - startedAt: the workflow's own run time. */
  runMs: Latency;
  /** stoppedAt - createdAt: from the delivery's arrival (queueing included) to the execution's end. */
  endToEndMs: Latency;
  deliveryMs: Latency;
  /** From the last delivery to the last execution's end; null when not drained within the wait. */
  drainMs: number | null;
  cpuBusyPercent: number;
  cpu: N8nCpu;
  stoppedEarlyAfterMs?: number;
  firstExecutionError?: string;
  firstDeliveryError?: string;
  sustained: boolean;
};

export function percentiles(values: number[]): Latency {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!);
  return { p50: at(50), p95: at(95), p99: at(99), max: sorted.at(-1) ?? 0 };
}

export type CpuMeter = () => { read(): { appCpuMs: number; dbCpuMs: number } };
/** CPU ms per successful execution: n8n's processes, and PostgreSQL serving n8n's database. */
export type N8nCpu = { n8nMsPerExecution: number; n8nDbMsPerExecution: number };
const perExecution = ({ appCpuMs, dbCpuMs }: { appCpuMs: number; dbCpuMs: number }, executions: number): N8nCpu => ({
  n8nMsPerExecution: Math.round((appCpuMs / Math.max(1, executions)) * 10) / 10,
  n8nDbMsPerExecution: Math.round((dbCpuMs / Math.max(1, executions)) * 10) / 10,
});

export type BaselineStep = PhaseResult & { sustained: boolean; cpu: N8nCpu };

/** Webhook -> Set at rising rates (x1.5) from `firstRate` until one is not sustained or `maxRate` is passed. */
export async function baselineRamp(origin: string, n8nCpu: CpuMeter, options: { firstRate: number; maxRate: number; stepSeconds: number; connections: number; p99LimitMs: number }): Promise<BaselineStep[]> {
  const steps: BaselineStep[] = [];
  const shot = (i: number) => ({ path: `/webhook/${BASELINE_PATH}`, body: JSON.stringify({ n: i }), headers: { 'content-type': 'application/json' } });
  await runPhase({ origin, connections: options.connections, rate: 10, durationMs: 2000, shot }); // warm-up
  for (let rate = options.firstRate; rate <= options.maxRate; rate = Math.round(rate * 1.5)) {
    await sleep(1000);
    const meter = n8nCpu();
    const step = await runPhase({ origin, connections: options.connections, rate, durationMs: options.stepSeconds * 1000, shot, maxBacklogSeconds: 3 });
    steps.push({ ...step, sustained: sustained(step, options.p99LimitMs), cpu: perExecution(meter.read(), step.ok) });
    console.log(`  baseline ${rate}/s: ${step.achievedRate}/s, p95 ${step.latencyMs.p95} ms, p99 ${step.latencyMs.p99} ms, failures ${step.non2xx + step.errors}${step.stoppedEarlyAfterMs ? ', stopped early' : ''}`);
    if (!steps.at(-1)!.sustained) break;
  }
  return steps;
}

async function waitForExecutions(n8n: N8nRest, workflowId: string, afterId: number, expected: number, deadline: number): Promise<N8nExecution[]> {
  for (;;) {
    const executions = await n8n.finishedExecutions(workflowId, afterId);
    if (executions.length >= expected || Date.now() > deadline) return executions;
    await sleep(500);
  }
}

/** call.missed deliveries at `rate` for `seconds` (open loop), then waits up to `drainWaitMs` for their executions. */
export async function afterCallPhase(
  n8n: N8nRest,
  n8nCpu: CpuMeter,
  target: AfterCallTarget & { workflowId: string },
  options: { rate: number; seconds: number; connections: number; drainWaitMs: number; drainLimitMs: number },
): Promise<AfterCallResult> {
  const afterId = await n8n.lastExecutionId();
  const shots = missedCallShots(target, Math.round(options.rate * options.seconds));
  const cpu = cpuMeter();
  const meter = n8nCpu();
  const startedAt = Date.now();
  const http = await runPhase({ origin: target.origin, connections: options.connections, rate: options.rate, durationMs: options.seconds * 1000, shot: (i) => shots[i]!, maxBacklogSeconds: 5 });
  const loadEnd = Date.now();
  const executions = await waitForExecutions(n8n, target.workflowId, afterId, http.ok, loadEnd + options.drainWaitMs);
  const cpuBusyPercent = cpu.busyPercent();
  const cpuUsed = meter.read();
  const time = (value: string | null) => (value ? Date.parse(value) : NaN);
  const lastStop = Math.max(...executions.map((e) => time(e.stoppedAt)).filter(Number.isFinite), startedAt);
  const drained = executions.length >= http.ok;
  const drainMs = drained ? Math.max(0, lastStop - loadEnd) : null;
  const succeeded = executions.filter((e) => e.status === 'success').length;
  const failedExecutions = executions.length - succeeded;
  const deliveryFailures = http.non2xx + http.errors;
  const failed = executions.find((e) => e.status !== 'success');
  const firstExecutionError = failed ? await n8n.executionError(failed.id) : undefined;
  const ok = deliveryFailures === 0 && failedExecutions === 0 && drained && drainMs! <= options.drainLimitMs && http.stoppedEarlyAfterMs === undefined;
  return {
    offeredRate: options.rate,
    seconds: options.seconds,
    delivered: http.ok,
    deliveryFailures,
    succeeded,
    failedExecutions,
    unfinished: Math.max(0, http.ok - executions.length),
    completedPerSecond: Math.round((succeeded / Math.max(1, lastStop - startedAt)) * 10_000) / 10,
    runMs: percentiles(executions.map((e) => time(e.stoppedAt) - time(e.startedAt)).filter(Number.isFinite)),
    endToEndMs: percentiles(executions.map((e) => time(e.stoppedAt) - time(e.createdAt)).filter(Number.isFinite)),
    deliveryMs: { p50: http.latencyMs.p50, p95: http.latencyMs.p95, p99: http.latencyMs.p99, max: http.latencyMs.max },
    drainMs,
    cpuBusyPercent,
    cpu: perExecution(cpuUsed, succeeded),
    ...(http.stoppedEarlyAfterMs !== undefined && { stoppedEarlyAfterMs: http.stoppedEarlyAfterMs }),
    ...(firstExecutionError && { firstExecutionError }),
    ...(http.firstError && { firstDeliveryError: http.firstError }),
    sustained: ok,
  };
}
