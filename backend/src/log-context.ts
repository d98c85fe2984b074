import { AsyncLocalStorage } from 'node:async_hooks';
import type { Principal } from './modules/auth/principal.js';

/**
 * What every log line written during one unit of work carries: the HTTP request (requestId) or the
 * worker job (job, jobId), and the tenant and agency it acts for. The logger's mixin reads it
 * (logger.ts), so code deep in a use case logs with context without passing a child logger around.
 */
export type LogContext = { requestId?: string; job?: string; jobId?: string; agencyId?: string; tenantId?: string };

const storage = new AsyncLocalStorage<LogContext>();

/** Runs `work` with `fields` added to the current context (an outer request or job keeps its own fields). */
export function runWithLogContext<T>(fields: LogContext, work: () => T): T {
  return storage.run({ ...storage.getStore(), ...withoutUndefined(fields) }, work);
}

/** Adds fields to the current unit of work, e.g. the tenant once authentication knows the principal. */
export function addToLogContext(fields: LogContext): void {
  const store = storage.getStore();
  if (store) Object.assign(store, withoutUndefined(fields));
}

/** A copy (pino's mixin merge writes into what it is given). */
export function currentLogContext(): LogContext {
  const store = storage.getStore();
  return store ? { ...store } : {};
}

/** The scope a principal acts in, as log fields (no tenant at agency level). */
export function principalLogFields(principal: Principal): LogContext {
  return { agencyId: principal.agencyId, tenantId: principal.tenantId };
}

function withoutUndefined(fields: LogContext): LogContext {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined && value !== null));
}
