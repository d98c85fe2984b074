import type { Transaction } from 'sequelize';
import { queryOne, queryRows } from '../../db/sql.js';

export type TenantStatus = 'active' | 'suspended';
export type Tenant = {
  id: string;
  agencyId: string;
  name: string;
  slug: string;
  timeZone: string;
  status: TenantStatus;
  suspendedAt: string | null;
  suspendedReason: string | null;
  createdAt: string;
};

const COLUMNS = `id, agency_id AS "agencyId", name, slug, time_zone AS "timeZone", status,
  suspended_at AS "suspendedAt", suspended_reason AS "suspendedReason", created_at AS "createdAt"`;

function plain(row: Tenant): Tenant {
  const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : (value as string | null));
  return { ...row, suspendedAt: iso(row.suspendedAt), createdAt: iso(row.createdAt)! };
}

export async function insertTenant(
  tx: Transaction,
  input: { agencyId: string; name: string; slug: string; timeZone: string },
): Promise<Tenant> {
  const row = await queryOne<Tenant>(
    tx,
    `INSERT INTO tenants (agency_id, name, slug, time_zone) VALUES (:agencyId, :name, :slug, :timeZone) RETURNING ${COLUMNS}`,
    input,
  );
  return plain(row!);
}

export async function findTenant(
  tx: Transaction,
  where: { agencyId: string; tenantId: string; forUpdate?: boolean },
): Promise<Tenant | undefined> {
  const row = await queryOne<Tenant>(
    tx,
    `SELECT ${COLUMNS} FROM tenants WHERE id = :tenantId AND agency_id = :agencyId${where.forUpdate ? ' FOR UPDATE' : ''}`,
    where,
  );
  return row && plain(row);
}

export async function listTenants(
  tx: Transaction,
  where: { agencyId: string; status?: TenantStatus; limit: number; offset: number },
): Promise<Tenant[]> {
  const rows = await queryRows<Tenant>(
    tx,
    `SELECT ${COLUMNS} FROM tenants WHERE agency_id = :agencyId AND (CAST(:status AS text) IS NULL OR status = :status)
     ORDER BY name, id LIMIT :limit OFFSET :offset`,
    { ...where, status: where.status ?? null },
  );
  return rows.map(plain);
}

export async function updateTenantStatus(
  tx: Transaction,
  input: { agencyId: string; tenantId: string; status: TenantStatus; reason: string | null },
): Promise<Tenant> {
  const row = await queryOne<Tenant>(
    tx,
    `UPDATE tenants SET status = :status, suspended_reason = :reason,
       suspended_at = CASE WHEN :status = 'suspended' THEN now() ELSE NULL END, updated_at = now()
     WHERE id = :tenantId AND agency_id = :agencyId RETURNING ${COLUMNS}`,
    input,
  );
  return plain(row!);
}
