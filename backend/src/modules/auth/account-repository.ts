import type { Transaction } from 'sequelize';
import { queryOne, queryRows, sequelizeOf } from '../../db/sql.js';
import { applyScope, readScope, type Scope } from '../../db/tenant-scope.js';
import type { Role } from './permissions.js';

export type UserRecord = { id: string; email: string; name: string; passwordHash: string | null; status: string };

export type MembershipView = {
  id: string;
  agencyId: string;
  tenantId: string | null;
  role: Role;
  tenantName: string | null;
  tenantStatus: string | null;
};

const USER_COLUMNS = `id, email, name, password_hash AS "passwordHash", status`;

export function findUserByEmail(t: Transaction, email: string): Promise<UserRecord | undefined> {
  return queryOne<UserRecord>(t, `SELECT ${USER_COLUMNS} FROM users WHERE lower(email) = lower(:email)`, { email });
}

export function findUserById(t: Transaction, id: string): Promise<UserRecord | undefined> {
  return queryOne<UserRecord>(t, `SELECT ${USER_COLUMNS} FROM users WHERE id = :id`, { id });
}

export async function setPassword(t: Transaction, userId: string, passwordHash: string): Promise<void> {
  await queryRows(t, `UPDATE users SET password_hash = :passwordHash, updated_at = now() WHERE id = :userId`, {
    userId,
    passwordHash,
  });
}

/**
 * A user's memberships with their tenants' names and status. Reads across scopes on purpose: this runs
 * before the request has an agency or tenant (login, session resolution). It uses the "own memberships"
 * policy ({ userId }), then each membership's agency scope for the tenant rows. Oldest first.
 */
export function listMemberships(t: Transaction, userId: string): Promise<MembershipView[]> {
  return inScope(t, { userId }, () => readMemberships(t, userId));
}

async function readMemberships(t: Transaction, userId: string): Promise<MembershipView[]> {
  const sequelize = sequelizeOf(t);
  const rows = await queryRows<Omit<MembershipView, 'tenantName' | 'tenantStatus'>>(
    t,
    `SELECT id, agency_id AS "agencyId", tenant_id AS "tenantId", role FROM memberships
      WHERE user_id = :userId ORDER BY created_at, id`,
    { userId },
  );
  const tenants = new Map<string, { name: string; status: string }>();
  for (const agencyId of new Set(rows.map((row) => row.agencyId))) {
    const ids = rows.filter((row) => row.agencyId === agencyId && row.tenantId).map((row) => row.tenantId!);
    if (ids.length === 0) continue;
    await applyScope(sequelize, t, { userId, agencyId });
    const found = await queryRows<{ id: string; name: string; status: string }>(
      t,
      `SELECT id, name, status FROM tenants WHERE id IN (:ids)`,
      { ids },
    );
    for (const tenant of found) tenants.set(tenant.id, tenant);
  }
  return rows.map((row) => ({
    ...row,
    tenantName: row.tenantId ? (tenants.get(row.tenantId)?.name ?? null) : null,
    tenantStatus: row.tenantId ? (tenants.get(row.tenantId)?.status ?? null) : null,
  }));
}

/** A tenant of the given agency (the agency is part of the WHERE clause and of the RLS scope). */
export async function findTenantOfAgency(
  t: Transaction,
  agencyId: string,
  tenantId: string,
): Promise<{ id: string; name: string; status: string } | undefined> {
  return inScope(t, { agencyId }, () =>
    queryOne(t, `SELECT id, name, status FROM tenants WHERE id = :tenantId AND agency_id = :agencyId`, {
      tenantId,
      agencyId,
    }),
  );
}

/** Runs `read` with a temporary scope on the transaction, then puts the caller's scope back. */
async function inScope<T>(t: Transaction, scope: Scope, read: () => Promise<T>): Promise<T> {
  const sequelize = sequelizeOf(t);
  const callerScope = await readScope(sequelize, t);
  await applyScope(sequelize, t, scope);
  const result = await read();
  await applyScope(sequelize, t, callerScope);
  return result;
}

/** The installation's agency (an appliance has one): owner of audit events with no better home. */
export async function findInstallationAgencyId(t: Transaction): Promise<string | undefined> {
  const row = await queryOne<{ id: string }>(t, `SELECT id FROM agencies ORDER BY created_at, id LIMIT 1`);
  return row?.id;
}

export function findIdentity(t: Transaction, provider: string, subject: string): Promise<{ userId: string } | undefined> {
  return queryOne(t, `SELECT user_id AS "userId" FROM user_identities WHERE provider = :provider AND subject = :subject`, {
    provider,
    subject,
  });
}

export function findIdentityOfUser(t: Transaction, userId: string, provider: string): Promise<{ subject: string } | undefined> {
  return queryOne(t, `SELECT subject FROM user_identities WHERE user_id = :userId AND provider = :provider`, {
    userId,
    provider,
  });
}

export async function linkIdentity(
  t: Transaction,
  identity: { userId: string; provider: string; subject: string; email: string },
): Promise<void> {
  await queryRows(
    t,
    `INSERT INTO user_identities (user_id, provider, subject, email) VALUES (:userId, :provider, :subject, :email)`,
    identity,
  );
}
