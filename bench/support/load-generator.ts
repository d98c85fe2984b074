import { createHistogram, performance } from 'node:perf_hooks';
import { Pool } from 'undici';

// An open-loop load generator: requests leave on a fixed schedule whether or not earlier ones were
// answered (as Twilio's webhooks do), over a pool of keep-alive connections. Latency is measured from
// the moment a request was DUE, not when a free connection let it go: a server that falls behind is
// charged for the queueing it causes (no coordinated omission).
export type Shot = { path: string; body: string; headers: Record<string, string> };

export type PhaseOptions = {
  origin: string;
  connections: number;
  /** Requests per second offered. */
  rate: number;
  durationMs: number;
  /** The i-th request of the phase (precomputed by the caller). */
  shot: (index: number) => Shot;
  /** Stop offering when this many seconds of requests are waiting for an answer (the server is drowning). */
  maxBacklogSeconds?: number;
};

export type PhaseResult = {
  offeredRate: number;
  sent: number;
  ok: number;
  non2xx: number;
  errors: number;
  /** 2xx answers per second, from the first due time to the last answer. */
  achievedRate: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number; mean: number };
  statusCounts: Record<string, number>;
  /** Set when the phase was cut short because the backlog exceeded maxBacklogSeconds. */
  stoppedEarlyAfterMs?: number;
  firstError?: string;
};

export async function runPhase(options: PhaseOptions): Promise<PhaseResult> {
  const pool = new Pool(options.origin, {
    connections: options.connections,
    pipelining: 1,
    keepAliveTimeout: 60_000,
    headersTimeout: 30_000,
    bodyTimeout: 30_000,
  });
  const total = Math.round((options.rate * options.durationMs) / 1000);
  const interval = 1000 / options.rate;
  const histogram = createHistogram({ lowest: 1, highest: 120_000_000, figures: 3 });
  const statusCounts: Record<string, number> = {};
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  let firstError: string | undefined;
  let lastAnswer = 0;
  const inflight = new Set<Promise<void>>();
  const start = performance.now();

  const fire = (index: number) => {
    const due = start + index * interval;
    const { path, body, headers } = options.shot(index);
    const done = pool
      .request({ method: 'POST', path, body, headers })
      .then(async (res) => {
        await res.body.dump();
        const now = performance.now();
        histogram.record(Math.max(1, Math.round((now - due) * 1000)));
        lastAnswer = now;
        statusCounts[res.statusCode] = (statusCounts[res.statusCode] ?? 0) + 1;
        if (res.statusCode >= 200 && res.statusCode < 300) ok += 1;
        else non2xx += 1;
      })
      .catch((err: unknown) => {
        errors += 1;
        firstError ??= (err as Error).message;
      })
      .finally(() => inflight.delete(done));
    inflight.add(done);
  };

  const maxInflight = Math.max(options.connections, options.rate * (options.maxBacklogSeconds ?? 5));
  let stoppedEarlyAfterMs: number | undefined;
  let sent = 0;
  while (sent < total) {
    if (inflight.size > maxInflight) {
      stoppedEarlyAfterMs = Math.round(performance.now() - start);
      break;
    }
    const due = Math.min(total, Math.floor((performance.now() - start) / interval) + 1);
    while (sent < due) fire(sent++);
    // Yield to the event loop (answers) and wake about every millisecond to send what fell due.
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  while (inflight.size > 0) await Promise.allSettled([...inflight]);
  await pool.close();
  const us = (value: number) => Math.round(value / 10) / 100; // µs -> ms, 2 decimals
  const elapsedMs = Math.max(lastAnswer - start, stoppedEarlyAfterMs ?? options.durationMs);
  return {
    offeredRate: options.rate,
    sent,
    ok,
    non2xx,
    errors,
    achievedRate: Math.round((ok / elapsedMs) * 1000),
    latencyMs: {
      p50: us(histogram.percentile(50)),
      p95: us(histogram.percentile(95)),
      p99: us(histogram.percentile(99)),
      max: us(histogram.max),
      mean: us(histogram.mean),
    },
    statusCounts,
    ...(stoppedEarlyAfterMs !== undefined && { stoppedEarlyAfterMs }),
    ...(firstError && { firstError }),
  };
}

/** A phase is sustained when (nearly) everything offered was answered 2xx in time. */
export function sustained(result: PhaseResult, p99LimitMs: number): boolean {
  return result.stoppedEarlyAfterMs === undefined && result.non2xx === 0 && result.errors === 0 && result.achievedRate >= result.offeredRate * 0.97 && result.latencyMs.p99 < p99LimitMs;
}
