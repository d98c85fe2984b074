import type { Sequelize } from 'sequelize';
import { withScope } from '../../db/tenant-scope.js';
import type { Logger } from '../../logger.js';
import { runWithLogContext } from '../../log-context.js';
import { eventHandlerFailures } from '../../metrics/metrics.js';
import { listAgencyIds } from '../outbox/outbox-repository.js';
import { retryDelayMs, type RetryPolicy } from '../outbox/retry-policy.js';
import type { EventHandlers } from './event-handlers.js';
import { claimPendingEvents, insertDeliveries, markEventDispatched, postponeEventDispatch } from './event-repository.js';
import { matchesEventType } from './event-type-filter.js';
import { subscriptionsForEvent } from './subscription-repository.js';

export type DispatchDeps = { sequelize: Sequelize; handlers: EventHandlers; logger: Logger; retry: RetryPolicy; batchSize?: number };

/**
 * One pass of the event relay: each stored event goes to the internal handlers, then becomes one
 * pending delivery per matching external subscription. If a handler fails, the event stays pending
 * and is dispatched again later (handlers run again; deliveries are not duplicated).
 */
export async function dispatchPendingEvents(deps: DispatchDeps): Promise<number> {
  const agencyIds = await deps.sequelize.transaction((tx) => listAgencyIds(tx));
  let dispatched = 0;
  for (const agencyId of agencyIds) {
    dispatched += await withScope(deps.sequelize, { agencyId }, async (tx) => {
      const events = await claimPendingEvents(tx, { agencyId, limit: deps.batchSize ?? 100 });
      for (const { dispatchAttempts, ...event } of events) {
        try {
          const context = { jobId: event.id, agencyId: event.agencyId, tenantId: event.tenantId ?? undefined };
          for (const handler of deps.handlers.handlersFor(event.type)) await runWithLogContext(context, () => handler(event));
        } catch (err) {
          const error = err instanceof Error ? err.message : String(err);
          eventHandlerFailures.inc({ type: event.type });
          deps.logger.warn({ eventId: event.id, type: event.type, err: error }, 'event handler failed; will retry');
          await postponeEventDispatch(tx, { eventId: event.id, delayMs: retryDelayMs(deps.retry, dispatchAttempts + 1), error });
          continue;
        }
        const subscriptions = await subscriptionsForEvent(tx, event);
        const matching = subscriptions.filter((subscription) => matchesEventType(subscription.eventTypes, event.type));
        await insertDeliveries(tx, event, matching.map((subscription) => subscription.id));
        await markEventDispatched(tx, event.id);
      }
      return events.length;
    });
  }
  return dispatched;
}
