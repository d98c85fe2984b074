import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';

export const WORKER_HEARTBEAT_KEY = 'switchboard:worker:heartbeat';

/** The worker writes a heartbeat so health checks (compose, operators) can tell it is alive. */
export function startHeartbeat(redis: Redis, logger: Logger, intervalMs = 5_000): () => void {
  // A failed beat is logged once per streak (not every 5 s), so a stale heartbeat has a visible cause.
  let failing = false;
  const beat = () =>
    redis.set(WORKER_HEARTBEAT_KEY, String(Date.now()), 'PX', intervalMs * 6).then(
      () => {
        if (failing) logger.info('worker heartbeat restored');
        failing = false;
      },
      (err: unknown) => {
        if (!failing) logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'worker heartbeat could not be written');
        failing = true;
      },
    );
  void beat();
  const timer = setInterval(beat, intervalMs);
  return () => clearInterval(timer);
}

export async function lastHeartbeatAgeMs(redis: Redis, now = Date.now()): Promise<number | undefined> {
  const value = await redis.get(WORKER_HEARTBEAT_KEY);
  return value === null ? undefined : now - Number(value);
}
