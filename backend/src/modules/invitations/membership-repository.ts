import type { Transaction } from 'sequelize';
import { queryOne } from '../../db/sql.js';
import type { Role } from '../auth/permissions.js';

export async function createUser(t: Transaction, user: { email: string; name: string; passwordHash: string }): Promise<string> {
  const row = await queryOne<{ id: string }>(
    t,
    `INSERT INTO users (email, name, password_hash) VALUES (:email, :name, :passwordHash) RETURNING id`,
    user,
  );
  return row!.id;
}

export function findMembership(
  t: Transaction,
  where: { userId: string; agencyId: string; tenantId: string | null },
): Promise<{ id: string; role: Role } | undefined> {
  return queryOne(
    t,
    `SELECT id, role FROM memberships
      WHERE user_id = :userId AND agency_id = :agencyId AND tenant_id IS NOT DISTINCT FROM :tenantId`,
    where,
  );
}

/** Whether someone with this address already belongs to exactly this agency level or tenant. */
export async function isMemberByEmail(
  t: Transaction,
  where: { email: string; agencyId: string; tenantId: string | null },
): Promise<boolean> {
  const row = await queryOne(
    t,
    `SELECT 1 AS found FROM memberships m JOIN users u ON u.id = m.user_id
      WHERE lower(u.email) = lower(:email) AND m.agency_id = :agencyId AND m.tenant_id IS NOT DISTINCT FROM :tenantId`,
    where,
  );
  return row !== undefined;
}

export async function createMembership(
  t: Transaction,
  membership: { userId: string; agencyId: string; tenantId: string | null; role: Role },
): Promise<string> {
  const row = await queryOne<{ id: string }>(
    t,
    `INSERT INTO memberships (user_id, agency_id, tenant_id, role) VALUES (:userId, :agencyId, :tenantId, :role) RETURNING id`,
    membership,
  );
  return row!.id;
}
