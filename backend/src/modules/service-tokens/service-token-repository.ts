import type { Transaction } from 'sequelize';
import { queryOne, queryRows } from '../../db/sql.js';
import type { Permission } from '../auth/permissions.js';

export type ServiceToken = {
  id: string;
  agencyId: string;
  tenantId: string | null;
  name: string;
  permissions: Permission[];
  createdByType: string;
  createdById: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  replacedById: string | null;
  createdAt: string;
};
type Row = ServiceToken & { secretHash: string };

const COLUMNS = `id, agency_id AS "agencyId", tenant_id AS "tenantId", name, permissions, created_by_type AS "createdByType",
  created_by_id AS "createdById", last_used_at AS "lastUsedAt", revoked_at AS "revokedAt", replaced_by_id AS "replacedById",
  created_at AS "createdAt"`;

function plain({ secretHash: _secretHash, ...row }: Row): ServiceToken {
  const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : (value as string | null));
  return { ...row, lastUsedAt: iso(row.lastUsedAt), revokedAt: iso(row.revokedAt), createdAt: iso(row.createdAt)! };
}

export async function insertServiceToken(
  tx: Transaction,
  input: Pick<ServiceToken, 'agencyId' | 'tenantId' | 'name' | 'permissions' | 'createdByType' | 'createdById'> & { secretHash: string },
): Promise<ServiceToken> {
  const row = await queryOne<Row>(
    tx,
    `INSERT INTO service_tokens (agency_id, tenant_id, name, permissions, secret_hash, created_by_type, created_by_id)
     VALUES (:agencyId, :tenantId, :name, CAST(ARRAY[:permissions] AS text[]), :secretHash, :createdByType, :createdById)
     RETURNING ${COLUMNS}, secret_hash AS "secretHash"`,
    input,
  );
  return plain(row!);
}

/** The token and its secret hash, for bearer authentication (scope: { serviceTokenId }). */
export async function findTokenForBearer(tx: Transaction, id: string): Promise<(ServiceToken & { secretHash: string }) | undefined> {
  const row = await queryOne<Row>(tx, `SELECT ${COLUMNS}, secret_hash AS "secretHash" FROM service_tokens WHERE id = :id`, { id });
  return row && { ...plain(row), secretHash: row.secretHash };
}

/** Tokens of the agency, or only of one tenant when tenantId is given. */
export async function listServiceTokens(tx: Transaction, where: { agencyId: string; tenantId?: string }): Promise<ServiceToken[]> {
  const rows = await queryRows<Row>(
    tx,
    `SELECT ${COLUMNS}, '' AS "secretHash" FROM service_tokens
     WHERE agency_id = :agencyId AND (CAST(:tenantId AS uuid) IS NULL OR tenant_id = :tenantId) ORDER BY created_at DESC, id`,
    { ...where, tenantId: where.tenantId ?? null },
  );
  return rows.map(plain);
}

export async function findServiceTokenForUpdate(
  tx: Transaction,
  where: { agencyId: string; tenantId?: string; tokenId: string },
): Promise<ServiceToken | undefined> {
  const row = await queryOne<Row>(
    tx,
    `SELECT ${COLUMNS}, '' AS "secretHash" FROM service_tokens WHERE id = :tokenId AND agency_id = :agencyId
       AND (CAST(:tenantId AS uuid) IS NULL OR tenant_id = :tenantId) FOR UPDATE`,
    { ...where, tenantId: where.tenantId ?? null },
  );
  return row && plain(row);
}

export async function markRevoked(tx: Transaction, input: { tokenId: string; replacedById: string | null }): Promise<ServiceToken> {
  const row = await queryOne<Row>(
    tx,
    `UPDATE service_tokens SET revoked_at = now(), replaced_by_id = :replacedById, updated_at = now() WHERE id = :tokenId
     RETURNING ${COLUMNS}, '' AS "secretHash"`,
    input,
  );
  return plain(row!);
}

export async function touchLastUsed(tx: Transaction, tokenId: string): Promise<void> {
  await queryRows(tx, `UPDATE service_tokens SET last_used_at = now() WHERE id = :tokenId`, { tokenId });
}
