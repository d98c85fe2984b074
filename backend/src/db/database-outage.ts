import { BaseError, ConnectionError } from 'sequelize';

/**
 * PostgreSQL error codes that mean "the database cannot serve right now", not "this request is wrong":
 * class 08 (connection exception), shutdown and start-up (57P01 admin_shutdown, 57P02 crash_shutdown,
 * 57P03 cannot_connect_now), too many connections, and a statement cancelled by our statement timeout.
 */
const OUTAGE_SQLSTATES = new Set(['08000', '08001', '08003', '08004', '08006', '08007', '57P01', '57P02', '57P03', '53300', '57014']);
const OUTAGE_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
// node-postgres reports a dropped socket and its own query timeout without any code.
const OUTAGE_MESSAGES = /Connection terminated|connection error and is not queryable|Query read timeout|timeout exceeded when trying to connect/i;

function causeOf(err: object): unknown {
  const { parent, original } = err as { parent?: unknown; original?: unknown };
  return parent ?? original;
}

/**
 * True when `err` says the database is unreachable, restarting or shutting down (Sequelize's
 * ConnectionError family: refused, timed out, pool acquire timeout; or a query cut off by the server
 * going away). Such a failure is worth retrying; the API answers 503 with Retry-After.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let current = err, depth = 0; typeof current === 'object' && current !== null && depth < 4; current = causeOf(current), depth += 1) {
    if (current instanceof ConnectionError) return true;
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && OUTAGE_SQLSTATES.has(code)) return true;
    // Socket codes and driver messages count only as the cause of a Sequelize error: the same codes from a
    // provider's HTTP client (Twilio, Telegram) are that provider's outage, not the database's.
    if (depth === 0 && !(current instanceof BaseError)) continue;
    if (typeof code === 'string' && OUTAGE_SOCKET_CODES.has(code)) return true;
    if (typeof message === 'string' && OUTAGE_MESSAGES.test(message)) return true;
  }
  return false;
}

/** Seconds a client should wait before retrying while the database is away (a restart takes a few). */
export const DATABASE_RETRY_AFTER_SECONDS = 5;
