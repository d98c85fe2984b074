import { Sequelize } from 'sequelize';
import type { Logger } from '../logger.js';

export type SequelizeOptions = {
  poolMax?: number;
  /** How long a caller waits for a pooled connection (all busy, or the database unreachable). */
  acquireMs?: number;
  /**
   * Bounds every statement (server-side statement_timeout) and, a little later, every round trip on
   * the client (a server that vanished without closing the socket). Unset for migrations and CLIs.
   */
  queryTimeoutMs?: number;
};

/** A new connection attempt gives up after this long (a black-holed host otherwise hangs for minutes). */
const CONNECT_TIMEOUT_MS = 5_000;

export function createSequelize(url: string, logger: Logger, options: SequelizeOptions = {}): Sequelize {
  const timeouts = options.queryTimeoutMs ? { statement_timeout: options.queryTimeoutMs, query_timeout: options.queryTimeoutMs + 5_000 } : {};
  return new Sequelize(url, {
    dialect: 'postgres',
    logging: (sql: string) => logger.trace({ sql }, 'sql'),
    pool: { max: options.poolMax ?? 10, min: 0, idle: 10_000, acquire: options.acquireMs ?? 30_000 },
    dialectOptions: { connectionTimeoutMillis: CONNECT_TIMEOUT_MS, keepAlive: true, ...timeouts },
    define: { underscored: true, timestamps: true },
  });
}
