import type { Sequelize } from 'sequelize';
import { AccessDeniedError } from 'sequelize';
import type { Logger } from '../logger.js';
import { isDatabaseUnavailable } from './database-outage.js';

/**
 * Waits until PostgreSQL answers (a worker started while it restarts, or before it is up), retrying with
 * capped backoff and logging each miss. Misconfiguration (wrong password, a non-database error) fails at once.
 */
export async function waitForDatabase(sequelize: Sequelize, logger: Logger, options: { maxDelayMs?: number } = {}): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await sequelize.authenticate();
      if (attempt > 1) logger.info({ attempt }, 'database reachable');
      return;
    } catch (err) {
      if (err instanceof AccessDeniedError || !isDatabaseUnavailable(err)) throw err;
      const delayMs = Math.min(options.maxDelayMs ?? 5_000, 250 * 2 ** Math.min(attempt, 5));
      logger.warn({ attempt, delayMs, err: (err as Error).message }, 'database not reachable yet; waiting');
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
