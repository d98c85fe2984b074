import { runWithLogContext } from '../log-context.js';
import type { Logger } from '../logger.js';

export type PollingLoop = { stop(): Promise<void>; /** Runs a pass now (tests). */ kick(): void };

/**
 * Runs `pass` every `intervalMs` (at once again while it reports work done). One pass at a time;
 * errors are logged and the loop goes on (the database or Redis may be back next time).
 */
export function startPollingLoop(name: string, intervalMs: number, pass: () => Promise<number>, logger: Logger): PollingLoop {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const schedule = (delay: number) => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = run();
    }, delay);
  };
  const run = async () => {
    let worked = 0;
    try {
      // Lines logged during the pass name the loop; per-row work adds its tenant (runWithLogContext).
      worked = await runWithLogContext({ job: name }, pass);
    } catch (err) {
      logger.warn({ loop: name, err: (err as Error).message }, 'polling pass failed');
    }
    schedule(worked > 0 ? 0 : intervalMs);
  };
  schedule(0);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
    kick() {
      schedule(0);
    },
  };
}
