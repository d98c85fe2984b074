import type { Sequelize, Transaction } from 'sequelize';
import { SCOPE_SETTINGS, type ScopeSetting } from './rls.js';

/**
 * What the current unit of work may see under row-level security. Built from the authenticated
 * principal (never from a request body). A tenant scope always names its agency too.
 * - { agencyId }: the agency's own rows and all rows of its tenants
 * - { agencyId, tenantId }: that tenant's rows only
 * - { userId }: extra read of the user's own memberships (login); combinable with the above
 * - { serviceTokenId }: read of that one token row (bearer authentication)
 */
export type Scope = {
  agencyId?: string;
  tenantId?: string;
  userId?: string;
  serviceTokenId?: string;
};

export type ScopedWork<T> = (transaction: Transaction) => Promise<T>;
export type RunInScope = <T>(scope: Scope, work: ScopedWork<T>) => Promise<T>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Sets the scope on an open transaction (SET LOCAL semantics: it ends with the transaction). */
export async function applyScope(sequelize: Sequelize, transaction: Transaction, scope: Scope): Promise<void> {
  if (scope.tenantId && !scope.agencyId) throw new Error('A tenant scope must name its agency');
  const names = Object.keys(SCOPE_SETTINGS) as ScopeSetting[];
  for (const name of names) {
    const value = scope[name];
    if (value !== undefined && !UUID.test(value)) throw new Error(`Scope ${name} must be a uuid`);
  }
  await sequelize.query(
    `SELECT ${names.map((name) => `set_config('${SCOPE_SETTINGS[name]}', :${name}, true)`).join(', ')}`,
    { replacements: Object.fromEntries(names.map((name) => [name, scope[name] ?? ''])), transaction },
  );
}

/** Runs `work` in a new transaction whose row-level security scope is `scope`. */
export async function withScope<T>(sequelize: Sequelize, scope: Scope, work: ScopedWork<T>): Promise<T> {
  return sequelize.transaction(async (transaction) => {
    await applyScope(sequelize, transaction, scope);
    return work(transaction);
  });
}

/** Reads the scope currently set on a transaction (used to restore it after a temporary change). */
export async function readScope(sequelize: Sequelize, transaction: Transaction): Promise<Scope> {
  const names = Object.keys(SCOPE_SETTINGS) as ScopeSetting[];
  const [rows] = (await sequelize.query(
    `SELECT ${names.map((name) => `current_setting('${SCOPE_SETTINGS[name]}', true) AS "${name}"`).join(', ')}`,
    { transaction },
  )) as [Record<ScopeSetting, string | null>[], unknown];
  const row = rows[0] ?? ({} as Record<ScopeSetting, string | null>);
  return Object.fromEntries(names.filter((name) => row[name]).map((name) => [name, row[name]!])) as Scope;
}

export function scopeRunner(sequelize: Sequelize): RunInScope {
  return (scope, work) => withScope(sequelize, scope, work);
}

export type RunScopedStatement = <T>(scope: Scope, sql: string, replacements?: Record<string, unknown>) => Promise<T[]>;

/**
 * One statement in a scope in a single round trip, for hot paths (a webhook's acknowledgement): the
 * scope settings and the statement go as one multi-statement simple query, which PostgreSQL runs as one
 * implicit transaction, so the settings are SET LOCAL for the statement and gone afterwards (nothing
 * leaks to the pooled connection). Replacements are inlined (escaped) by Sequelize; no bind parameters.
 */
export function scopedStatementRunner(sequelize: Sequelize): RunScopedStatement {
  return async <T>(scope: Scope, sql: string, replacements: Record<string, unknown> = {}) => {
    if (scope.tenantId && !scope.agencyId) throw new Error('A tenant scope must name its agency');
    const names = Object.keys(SCOPE_SETTINGS) as ScopeSetting[];
    for (const name of names) {
      const value = scope[name];
      if (value !== undefined && !UUID.test(value)) throw new Error(`Scope ${name} must be a uuid`);
    }
    const settings = `SELECT ${names.map((name) => `set_config('${SCOPE_SETTINGS[name]}', '${scope[name] ?? ''}', true)`).join(', ')}`;
    const [, results] = (await sequelize.query(`${settings}; ${sql}`, { replacements })) as [unknown, { rows: T[] }[]];
    return results[results.length - 1]!.rows;
  };
}
