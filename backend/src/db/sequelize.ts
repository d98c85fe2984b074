import { Sequelize } from 'sequelize';
import type { Logger } from '../logger.js';

export function createSequelize(url: string, logger: Logger, options: { poolMax?: number } = {}): Sequelize {
  return new Sequelize(url, {
    dialect: 'postgres',
    logging: (sql: string) => logger.trace({ sql }, 'sql'),
    pool: { max: options.poolMax ?? 10, min: 0, idle: 10_000, acquire: 30_000 },
    define: { underscored: true, timestamps: true },
  });
}
