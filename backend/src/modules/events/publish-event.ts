import { randomUUID } from 'node:crypto';
import type { Sequelize, Transaction } from 'sequelize';
import { withScope } from '../../db/tenant-scope.js';
import type { DomainEvent, EventBus } from '../../ports/events.js';
import { insertEvent } from './event-repository.js';

/**
 * The durable event bus: `publish` stores the event in event_outbox, in the caller's transaction when
 * one is given (the event exists exactly when the change that caused it commits). The worker's
 * event relay hands it to internal handlers and external subscriptions afterwards.
 */
export function outboxEventBus(sequelize: Sequelize): EventBus {
  return {
    async publish(input, options = {}) {
      const event: DomainEvent = { ...input, id: randomUUID(), occurredAt: new Date().toISOString() };
      const transaction = options.transaction as Transaction | undefined;
      if (transaction) await insertEvent(transaction, event);
      else await withScope(sequelize, { agencyId: event.agencyId, tenantId: event.tenantId || undefined }, (tx) => insertEvent(tx, event));
      return event;
    },
  };
}
