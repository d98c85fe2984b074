import type { Transaction } from 'sequelize';
import { queryOne, queryRows } from '../../db/sql.js';

export type FlagOverride = { id: string; flagKey: string; tenantId: string | null; userId: string | null; enabled: boolean };
export type OverrideTarget = { agencyId: string; flagKey: string; tenantId: string | null; userId: string | null };

const COLUMNS = `id, flag_key AS "flagKey", tenant_id AS "tenantId", user_id AS "userId", enabled`;
const SAME_TARGET = `agency_id = :agencyId AND flag_key = :flagKey
  AND tenant_id IS NOT DISTINCT FROM CAST(:tenantId AS uuid) AND user_id IS NOT DISTINCT FROM CAST(:userId AS uuid)`;

/** Overrides that can apply to one caller: installation-wide, their tenant's and their own. */
export async function findApplicableOverrides(
  tx: Transaction,
  where: { agencyId: string; tenantId: string | null; userId: string | null },
): Promise<FlagOverride[]> {
  return queryRows<FlagOverride>(
    tx,
    `SELECT ${COLUMNS} FROM feature_flag_overrides WHERE agency_id = :agencyId
       AND ((tenant_id IS NULL AND user_id IS NULL) OR tenant_id = CAST(:tenantId AS uuid) OR user_id = CAST(:userId AS uuid))`,
    where,
  );
}

export async function listOverrides(tx: Transaction, agencyId: string): Promise<FlagOverride[]> {
  return queryRows<FlagOverride>(tx, `SELECT ${COLUMNS} FROM feature_flag_overrides WHERE agency_id = :agencyId ORDER BY flag_key, id`, {
    agencyId,
  });
}

export async function findOverride(tx: Transaction, target: OverrideTarget): Promise<FlagOverride | undefined> {
  return queryOne<FlagOverride>(tx, `SELECT ${COLUMNS} FROM feature_flag_overrides WHERE ${SAME_TARGET} FOR UPDATE`, target);
}

export async function upsertOverride(tx: Transaction, target: OverrideTarget & { enabled: boolean }): Promise<FlagOverride> {
  const existing = await findOverride(tx, target);
  if (existing) {
    return (await queryOne<FlagOverride>(
      tx,
      `UPDATE feature_flag_overrides SET enabled = :enabled, updated_at = now() WHERE id = :id RETURNING ${COLUMNS}`,
      { id: existing.id, enabled: target.enabled },
    ))!;
  }
  return (await queryOne<FlagOverride>(
    tx,
    `INSERT INTO feature_flag_overrides (agency_id, flag_key, tenant_id, user_id, enabled)
     VALUES (:agencyId, :flagKey, :tenantId, :userId, :enabled) RETURNING ${COLUMNS}`,
    target,
  ))!;
}

export async function deleteOverride(tx: Transaction, target: OverrideTarget): Promise<void> {
  await queryRows(tx, `DELETE FROM feature_flag_overrides WHERE ${SAME_TARGET}`, target);
}

/** Whether the user has any membership in the agency (user overrides only for the agency's people). */
export async function isAgencyUser(tx: Transaction, where: { agencyId: string; userId: string }): Promise<boolean> {
  return Boolean(await queryOne(tx, `SELECT 1 FROM memberships WHERE agency_id = :agencyId AND user_id = :userId LIMIT 1`, where));
}
