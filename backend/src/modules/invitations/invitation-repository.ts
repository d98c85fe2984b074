import type { Transaction } from 'sequelize';
import { queryOne, queryRows } from '../../db/sql.js';
import type { Role } from '../auth/permissions.js';

export type InvitationRecord = {
  id: string;
  agencyId: string;
  tenantId: string | null;
  email: string;
  role: Role;
  invitedByUserId: string | null;
  expiresAt: Date;
  acceptedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
};

const COLUMNS = `id, agency_id AS "agencyId", tenant_id AS "tenantId", email, role, invited_by_user_id AS "invitedByUserId",
  expires_at AS "expiresAt", accepted_at AS "acceptedAt", revoked_at AS "revokedAt", created_at AS "createdAt"`;

export async function insertInvitation(
  t: Transaction,
  row: { agencyId: string; tenantId: string | null; email: string; role: Role; tokenHash: string; invitedByUserId: string; expiresAt: Date },
): Promise<InvitationRecord> {
  const [created] = await queryRows<InvitationRecord>(
    t,
    `INSERT INTO invitations (agency_id, tenant_id, email, role, token_hash, invited_by_user_id, expires_at)
     VALUES (:agencyId, :tenantId, :email, :role, :tokenHash, :invitedByUserId, :expiresAt) RETURNING ${COLUMNS}`,
    row,
  );
  return created!;
}

/** Revokes earlier pending invitations of the same address to the same place (a re-invite replaces them). */
export async function revokePendingInvitationsFor(
  t: Transaction,
  target: { agencyId: string; tenantId: string | null; email: string },
): Promise<void> {
  await queryRows(
    t,
    `UPDATE invitations SET revoked_at = now(), updated_at = now()
      WHERE agency_id = :agencyId AND tenant_id IS NOT DISTINCT FROM :tenantId AND lower(email) = lower(:email)
        AND accepted_at IS NULL AND revoked_at IS NULL`,
    target,
  );
}

export function listPendingInvitations(t: Transaction, scope: { agencyId: string; tenantId: string | null }): Promise<InvitationRecord[]> {
  return queryRows<InvitationRecord>(
    t,
    `SELECT ${COLUMNS} FROM invitations
      WHERE agency_id = :agencyId AND (CAST(:tenantId AS uuid) IS NULL OR tenant_id = :tenantId)
        AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now()
      ORDER BY created_at DESC`,
    scope,
  );
}

export function findInvitationInScope(
  t: Transaction,
  scope: { agencyId: string; tenantId: string | null; id: string },
): Promise<InvitationRecord | undefined> {
  return queryOne<InvitationRecord>(
    t,
    `SELECT ${COLUMNS} FROM invitations
      WHERE id = :id AND agency_id = :agencyId AND (CAST(:tenantId AS uuid) IS NULL OR tenant_id = :tenantId)`,
    scope,
  );
}

/** Looks an invitation up by its token hash, before any scope is known (the token is the authority). */
export async function findInvitationByTokenHash(t: Transaction, tokenHash: string): Promise<InvitationRecord | undefined> {
  await queryRows(t, `SELECT set_config('app.invitation_token_hash', :tokenHash, true)`, { tokenHash });
  return queryOne<InvitationRecord>(t, `SELECT ${COLUMNS} FROM invitations WHERE token_hash = :tokenHash`, { tokenHash });
}

/** Claims a pending, unexpired invitation; false when someone else already used, revoked or it expired. */
export async function markInvitationAccepted(t: Transaction, id: string, userId: string): Promise<boolean> {
  const rows = await queryRows(
    t,
    `UPDATE invitations SET accepted_at = now(), accepted_by_user_id = :userId, updated_at = now()
      WHERE id = :id AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now() RETURNING id`,
    { id, userId },
  );
  return rows.length === 1;
}

export async function markInvitationRevoked(t: Transaction, id: string): Promise<boolean> {
  const rows = await queryRows(
    t,
    `UPDATE invitations SET revoked_at = now(), updated_at = now()
      WHERE id = :id AND accepted_at IS NULL AND revoked_at IS NULL RETURNING id`,
    { id },
  );
  return rows.length === 1;
}
