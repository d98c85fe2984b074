import type { Redis } from 'ioredis';

export const WORKER_HEARTBEAT_KEY = 'switchboard:worker:heartbeat';

/** The worker writes a heartbeat so health checks (compose, operators) can tell it is alive. */
export function startHeartbeat(redis: Redis, intervalMs = 5_000): () => void {
  const beat = () => redis.set(WORKER_HEARTBEAT_KEY, String(Date.now()), 'PX', intervalMs * 6).catch(() => undefined);
  void beat();
  const timer = setInterval(beat, intervalMs);
  return () => clearInterval(timer);
}

export async function lastHeartbeatAgeMs(redis: Redis, now = Date.now()): Promise<number | undefined> {
  const value = await redis.get(WORKER_HEARTBEAT_KEY);
  return value === null ? undefined : now - Number(value);
}
