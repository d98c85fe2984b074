import type { DomainEvent } from '../../ports/events.js';
import { matchesEventType } from './event-type-filter.js';

/** In-process subscribers (later: the AI agent runtime). At least once: they must tolerate a repeat (use event.id). */
export type EventHandler = (event: DomainEvent) => Promise<void>;

export type EventHandlers = {
  on(pattern: string, handler: EventHandler): void;
  handlersFor(type: string): EventHandler[];
};

export function eventHandlers(): EventHandlers {
  const registered: { pattern: string; handler: EventHandler }[] = [];
  return {
    on(pattern, handler) {
      registered.push({ pattern, handler });
    },
    handlersFor(type) {
      return registered.filter((entry) => matchesEventType([entry.pattern], type)).map((entry) => entry.handler);
    },
  };
}
