import type { Sequelize } from 'sequelize';
import { withScope } from '../../db/tenant-scope.js';
import { runWithLogContext } from '../../log-context.js';
import { listAgencyIds } from '../outbox/outbox-repository.js';
import { runAgentTurn, type AgentRuntimeDeps } from './run-agent-turn.js';
import { claimDueTurns } from './turn-repository.js';

export type DueTurnsDeps = AgentRuntimeDeps & { sequelize: Sequelize; concurrency: number; leaseSeconds: number };

export type AgentTurnRunner = {
  /** Claims due turns for the free slots and starts them; returns how many it started. */
  pass(): Promise<number>;
  /** Waits for the turns in flight (graceful shutdown). */
  drain(): Promise<void>;
  readonly inFlight: number;
};

/**
 * The agent loop's pool: a turn mostly waits for the model, so one worker carries up to `concurrency`
 * conversations at once, refilling slots as turns finish rather than waiting for a whole batch.
 */
export function agentTurnRunner(deps: DueTurnsDeps): AgentTurnRunner {
  const running = new Set<Promise<void>>();
  return {
    get inFlight() {
      return running.size;
    },
    async pass() {
      let started = 0;
      const agencyIds = await deps.sequelize.transaction((tx) => listAgencyIds(tx));
      for (const agencyId of agencyIds) {
        const free = deps.concurrency - running.size;
        if (free <= 0) break;
        const turns = await withScope(deps.sequelize, { agencyId }, (tx) => claimDueTurns(tx, { agencyId, limit: free, leaseSeconds: deps.leaseSeconds }));
        for (const turn of turns) {
          const work = runWithLogContext({ jobId: turn.id, agencyId: turn.agencyId, tenantId: turn.tenantId }, () => runAgentTurn(deps, turn)).then(
            () => undefined,
            // Unexpected (database down, a bug): the lease runs out and the turn is claimed again.
            (err: unknown) => deps.logger.error({ turnId: turn.id, err: err instanceof Error ? err.message : String(err) }, 'agent turn crashed; it will be retried'),
          ).finally(() => running.delete(work));
          running.add(work);
          started += 1;
        }
      }
      return started;
    },
    async drain() {
      await Promise.all([...running]);
    },
  };
}
