import type { Transaction } from 'sequelize';
import { queryOne, queryRows } from '../../db/sql.js';
import type { Role } from '../auth/permissions.js';

export type Membership = { id: string; userId: string; agencyId: string; tenantId: string | null; role: Role };
export type UserWithMemberships = {
  id: string;
  email: string;
  name: string;
  status: string;
  memberships: { id: string; tenantId: string | null; role: Role; createdAt: string }[];
};

const COLUMNS = `id, user_id AS "userId", agency_id AS "agencyId", tenant_id AS "tenantId", role`;

/** A membership of the agency, narrowed to one tenant when tenantId is given. Locked for the change. */
export async function findMembershipForUpdate(
  tx: Transaction,
  where: { agencyId: string; tenantId?: string; membershipId: string },
): Promise<Membership | undefined> {
  return queryOne<Membership>(
    tx,
    `SELECT ${COLUMNS} FROM memberships WHERE id = :membershipId AND agency_id = :agencyId
       AND (CAST(:tenantId AS uuid) IS NULL OR tenant_id = :tenantId) FOR UPDATE`,
    { ...where, tenantId: where.tenantId ?? null },
  );
}

/**
 * Locks the owner memberships of the agency (tenantId null) or of one tenant and counts them, so two
 * concurrent demotions cannot both pass the "last owner" check.
 */
export async function lockOwners(
  tx: Transaction,
  where: { agencyId: string; tenantId: string | null; role: 'agency_owner' | 'tenant_owner' },
): Promise<number> {
  const rows = await queryRows<{ id: string }>(
    tx,
    `SELECT id FROM memberships WHERE agency_id = :agencyId AND tenant_id IS NOT DISTINCT FROM :tenantId AND role = :role FOR UPDATE`,
    where,
  );
  return rows.length;
}

export async function updateMembershipRole(tx: Transaction, input: { agencyId: string; membershipId: string; role: Role }): Promise<Membership> {
  const row = await queryOne<Membership>(
    tx,
    `UPDATE memberships SET role = :role, updated_at = now() WHERE id = :membershipId AND agency_id = :agencyId RETURNING ${COLUMNS}`,
    input,
  );
  return row!;
}

export async function deleteMembership(tx: Transaction, input: { agencyId: string; membershipId: string }): Promise<void> {
  await queryRows(tx, `DELETE FROM memberships WHERE id = :membershipId AND agency_id = :agencyId`, input);
}

/** People with a membership in the agency (or in one tenant), each with those memberships. */
export async function listUsersWithMemberships(
  tx: Transaction,
  where: { agencyId: string; tenantId?: string; limit: number; offset: number },
): Promise<UserWithMemberships[]> {
  const rows = await queryRows<UserWithMemberships>(
    tx,
    `SELECT u.id, u.email, u.name, u.status,
       json_agg(json_build_object('id', m.id, 'tenantId', m.tenant_id, 'role', m.role, 'createdAt', m.created_at)
         ORDER BY m.created_at, m.id) AS memberships
     FROM memberships m JOIN users u ON u.id = m.user_id
     WHERE m.agency_id = :agencyId AND (CAST(:tenantId AS uuid) IS NULL OR m.tenant_id = :tenantId)
     GROUP BY u.id ORDER BY lower(u.email), u.id LIMIT :limit OFFSET :offset`,
    { ...where, tenantId: where.tenantId ?? null },
  );
  return rows.map((row) => ({
    ...row,
    memberships: row.memberships.map((m) => ({ ...m, createdAt: new Date(m.createdAt).toISOString() })),
  }));
}
