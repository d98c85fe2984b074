import type { Transaction } from 'sequelize';
import { iso } from '../../db/rows.js';
import { queryOne, queryRows } from '../../db/sql.js';

/** One saved AI provider: the agency's default (tenantId null) or a tenant's override. */
export type ProviderSettingsRow = {
  id: string;
  agencyId: string;
  tenantId: string | null;
  baseUrl: string;
  apiKeyCiphertext: string;
  apiKeyLast4: string;
  model: string;
  fallbackModel: string | null;
  testedAt: string | null;
  testOk: boolean | null;
  testError: string | null;
  updatedAt: string;
};

const COLUMNS = `id, agency_id AS "agencyId", tenant_id AS "tenantId", base_url AS "baseUrl", api_key_ciphertext AS "apiKeyCiphertext",
  api_key_last4 AS "apiKeyLast4", model, fallback_model AS "fallbackModel", tested_at AS "testedAt", test_ok AS "testOk",
  test_error AS "testError", updated_at AS "updatedAt"`;

const plain = (row: ProviderSettingsRow): ProviderSettingsRow => ({ ...row, testedAt: iso(row.testedAt), updatedAt: iso(row.updatedAt)! });

export type Level = { agencyId: string; tenantId: string | null };

/** The row saved at exactly this level (agency default when tenantId is null). */
export async function findSettingsAt(tx: Transaction, level: Level): Promise<ProviderSettingsRow | undefined> {
  const row = await queryOne<ProviderSettingsRow>(
    tx,
    `SELECT ${COLUMNS} FROM ai_provider_settings WHERE agency_id = :agencyId AND tenant_id IS NOT DISTINCT FROM CAST(:tenantId AS uuid)`,
    level,
  );
  return row && plain(row);
}

/** What applies to a tenant: its own override, else its agency's default (both visible at tenant scope). */
export async function findEffectiveSettings(tx: Transaction, scope: { agencyId: string; tenantId?: string }): Promise<ProviderSettingsRow | undefined> {
  const row = await queryOne<ProviderSettingsRow>(
    tx,
    `SELECT ${COLUMNS} FROM ai_provider_settings
     WHERE agency_id = :agencyId AND (tenant_id IS NULL OR tenant_id = CAST(:tenantId AS uuid))
     ORDER BY tenant_id NULLS LAST LIMIT 1`,
    { agencyId: scope.agencyId, tenantId: scope.tenantId ?? null },
  );
  return row && plain(row);
}

export type SettingsFields = { baseUrl: string; apiKeyCiphertext: string; apiKeyLast4: string; model: string; fallbackModel: string | null };

/** Saves the level's settings; a change forgets the last test (it tested something else). */
export async function upsertSettings(tx: Transaction, level: Level, fields: SettingsFields): Promise<ProviderSettingsRow> {
  const existing = await findSettingsAt(tx, level);
  const values = { ...level, ...fields };
  const row = existing
    ? await queryOne<ProviderSettingsRow>(
      tx,
      `UPDATE ai_provider_settings SET base_url = :baseUrl, api_key_ciphertext = :apiKeyCiphertext, api_key_last4 = :apiKeyLast4, model = :model,
         fallback_model = :fallbackModel, tested_at = NULL, test_ok = NULL, test_error = NULL, updated_at = now()
       WHERE id = :id RETURNING ${COLUMNS}`,
      { ...values, id: existing.id },
    )
    : await queryOne<ProviderSettingsRow>(
      tx,
      `INSERT INTO ai_provider_settings (agency_id, tenant_id, base_url, api_key_ciphertext, api_key_last4, model, fallback_model)
       VALUES (:agencyId, :tenantId, :baseUrl, :apiKeyCiphertext, :apiKeyLast4, :model, :fallbackModel) RETURNING ${COLUMNS}`,
      values,
    );
  return plain(row!);
}

export async function deleteSettingsAt(tx: Transaction, level: Level): Promise<boolean> {
  const rows = await queryRows(
    tx,
    'DELETE FROM ai_provider_settings WHERE agency_id = :agencyId AND tenant_id IS NOT DISTINCT FROM CAST(:tenantId AS uuid) RETURNING id',
    level,
  );
  return rows.length > 0;
}

/** Keeps a test's outcome on the row it tested (only if the row did not change meanwhile). */
export async function recordTestResult(tx: Transaction, input: { id: string; updatedAt: string; ok: boolean; error: string | null }): Promise<void> {
  await queryRows(
    tx,
    `UPDATE ai_provider_settings SET tested_at = now(), test_ok = :ok, test_error = :error
     WHERE id = :id AND date_trunc('milliseconds', updated_at) = CAST(:updatedAt AS timestamptz)`,
    { ...input, error: input.error?.slice(0, 500) ?? null },
  );
}
