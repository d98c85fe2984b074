import type { Redis } from 'ioredis';
import { checkReadiness, type DependencyProbe } from '../health/check-readiness.js';
import { lastHeartbeatAgeMs } from '../../worker/heartbeat.js';

export type ServiceName = 'api' | 'worker' | 'postgres' | 'redis' | 'n8n';
export type ServiceStatus = { name: ServiceName; status: 'ok' | 'degraded' | 'down'; detail: string };
export type ServiceCheckDeps = { redis: Redis; probes: DependencyProbe[]; probeTimeoutMs: number; startedAt: Date };

// The worker beats every 5 s: a few missed beats is slowness, a silent half-minute means it is not running.
const HEARTBEAT_LATE_MS = 15_000;
const HEARTBEAT_GONE_MS = 30_000;
const SLOW_ANSWER_MS = 1_000;

const LABEL: Record<string, string> = { postgres: 'PostgreSQL', redis: 'Redis', n8n: 'n8n' };

/** Each part of the installation, in plain words. Probes run in parallel and each is bounded by a timeout. */
export async function checkServices(deps: ServiceCheckDeps, now = new Date()): Promise<ServiceStatus[]> {
  const [readiness, heartbeat] = await Promise.all([
    checkReadiness(deps.probes, deps.probeTimeoutMs),
    lastHeartbeatAgeMs(deps.redis, now.getTime()).then((age) => ({ age }), (err: Error) => ({ error: err.message })),
  ]);
  const upMinutes = Math.floor((now.getTime() - deps.startedAt.getTime()) / 60_000);
  const services: ServiceStatus[] = [{ name: 'api', status: 'ok', detail: `Answering; running for ${upMinutes} minute${upMinutes === 1 ? '' : 's'}` }];
  services.push(workerStatus(heartbeat));
  for (const [name, check] of Object.entries(readiness.checks)) {
    const label = LABEL[name] ?? name;
    services.push(
      !check.ok
        ? { name: name as ServiceName, status: 'down', detail: `${label} is not reachable: ${check.error ?? 'no answer'}` }
        : check.latencyMs > SLOW_ANSWER_MS
          ? { name: name as ServiceName, status: 'degraded', detail: `${label} answers slowly (${check.latencyMs} ms)` }
          : { name: name as ServiceName, status: 'ok', detail: `${label} answers (${check.latencyMs} ms)` },
    );
  }
  return services;
}

function workerStatus(heartbeat: { age?: number; error?: string }): ServiceStatus {
  if (heartbeat.error) return { name: 'worker', status: 'down', detail: `Cannot read the worker's heartbeat: ${heartbeat.error}` };
  if (heartbeat.age === undefined) return { name: 'worker', status: 'down', detail: 'No heartbeat: the worker is not running' };
  const seconds = Math.round(heartbeat.age / 1000);
  if (heartbeat.age > HEARTBEAT_GONE_MS) return { name: 'worker', status: 'down', detail: `Last heartbeat ${seconds} s ago: the worker has stopped` };
  if (heartbeat.age > HEARTBEAT_LATE_MS) return { name: 'worker', status: 'degraded', detail: `Last heartbeat ${seconds} s ago: the worker is busy or stalling` };
  return { name: 'worker', status: 'ok', detail: `Running (last heartbeat ${seconds} s ago)` };
}
