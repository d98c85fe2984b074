import type { Transaction } from 'sequelize';
import { queryRows } from '../../db/sql.js';

/** The ids an audit page mentions, by kind. */
export type AuditReferences = { users: string[]; tenants: string[]; contacts: string[]; agents: string[]; memberships: string[]; invitations: string[]; serviceTokens: string[] };

export type AuditNames = { [K in keyof AuditReferences]: Map<string, string> };

// What each kind is called. Ids are compared as text: audit ids are free text and need not be uuids.
// Rows the caller's scope cannot see (row-level security) simply stay unnamed.
const QUERIES: Record<keyof AuditReferences, string> = {
  users: `SELECT id::text AS id, COALESCE(NULLIF(name, ''), email) AS name FROM users WHERE id::text IN (:ids)`,
  tenants: `SELECT id::text AS id, name FROM tenants WHERE id::text IN (:ids)`,
  contacts: `SELECT id::text AS id, COALESCE(NULLIF(name, ''), phone, email, 'Contact') AS name FROM contacts WHERE id::text IN (:ids)`,
  agents: `SELECT id::text AS id, name FROM agents WHERE id::text IN (:ids)`,
  memberships: `SELECT m.id::text AS id, COALESCE(NULLIF(u.name, ''), u.email) AS name FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.id::text IN (:ids)`,
  invitations: `SELECT id::text AS id, email AS name FROM invitations WHERE id::text IN (:ids)`,
  serviceTokens: `SELECT id::text AS id, name FROM service_tokens WHERE id::text IN (:ids)`,
};

export async function findAuditNames(tx: Transaction, refs: AuditReferences): Promise<AuditNames> {
  const names = {} as AuditNames;
  for (const kind of Object.keys(QUERIES) as (keyof AuditReferences)[]) {
    const ids = [...new Set(refs[kind])];
    const rows = ids.length === 0 ? [] : await queryRows<{ id: string; name: string }>(tx, QUERIES[kind], { ids });
    names[kind] = new Map(rows.map((row) => [row.id, row.name]));
  }
  return names;
}
