import type { Container } from '../../container.js';
import { scopeRunner } from '../../db/tenant-scope.js';
import type { EventHandlers } from '../events/event-handlers.js';
import { enqueueOutbox } from '../outbox/enqueue-outbox.js';
import { startPollingLoop, type PollingLoop } from '../../worker/polling-loop.js';
import { agentTurnRunner } from './run-due-turns.js';
import { scheduleAgentTurn } from './schedule-agent-turn.js';

/**
 * The agent runtime inside a worker: message.received opens (or extends) a turn; a loop runs due turns
 * concurrently. Every worker runs it; SKIP LOCKED claims keep two workers off the same turn.
 */
export function startAgentRuntime(container: Container, handlers: EventHandlers): { loop: PollingLoop; stop(): Promise<void> } {
  const runInScope = scopeRunner(container.sequelize);
  handlers.on('message.received', async (event) => {
    await scheduleAgentTurn({ runInScope }, event);
  });
  const { config } = container;
  const runner = agentTurnRunner({
    sequelize: container.sequelize, runInScope, events: container.events, enqueueOutbox, llms: container.llms, logger: container.logger,
    payments: { payments: container.payments, encryptionKey: config.secrets.encryptionKey, fallbackSecretKey: config.stripe.secretKey },
    priceOverride: config.llm.pricePerMillion, concurrency: config.agents.concurrency, leaseSeconds: config.agents.leaseSeconds,
  });
  const loop = startPollingLoop('agent-turns', config.agents.pollMs, () => runner.pass(), container.logger);
  return {
    loop,
    async stop() {
      await loop.stop();
      await runner.drain();
    },
  };
}
