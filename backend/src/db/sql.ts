import type { Sequelize, Transaction } from 'sequelize';

/** The Sequelize instance behind a transaction (kept on it at runtime; not in its typings). */
export function sequelizeOf(transaction: Transaction): Sequelize {
  return (transaction as unknown as { sequelize: Sequelize }).sequelize;
}

/** Runs SQL with named replacements inside the (scoped) transaction; returns the result rows. */
export async function queryRows<T>(transaction: Transaction, text: string, replacements: Record<string, unknown> = {}): Promise<T[]> {
  const [rows] = (await sequelizeOf(transaction).query(text, { replacements, transaction })) as [T[], unknown];
  return rows;
}

export async function queryOne<T>(transaction: Transaction, text: string, replacements: Record<string, unknown> = {}): Promise<T | undefined> {
  return (await queryRows<T>(transaction, text, replacements))[0];
}

/** True when a database error is a unique-constraint violation. */
export function isUniqueViolation(err: unknown): boolean {
  const original = (err as { original?: { code?: string }; parent?: { code?: string } } | null) ?? {};
  return original.original?.code === '23505' || original.parent?.code === '23505';
}
