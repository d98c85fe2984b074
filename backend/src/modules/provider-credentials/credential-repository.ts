import type { Transaction } from 'sequelize';
import { queryOne, queryRows } from '../../db/sql.js';

export type ProviderName = 'twilio' | 'stripe' | 'whatsapp_cloud' | 'telegram';
export type CredentialRow = {
  agencyId: string;
  tenantId: string;
  provider: ProviderName;
  secretCiphertext: string;
  metadata: Record<string, unknown>;
  updatedAt: string;
};

const COLUMNS = `agency_id AS "agencyId", tenant_id AS "tenantId", provider, secret_ciphertext AS "secretCiphertext",
  metadata, updated_at AS "updatedAt"`;

function plain(row: CredentialRow): CredentialRow {
  const updatedAt = row.updatedAt as unknown;
  return { ...row, updatedAt: updatedAt instanceof Date ? updatedAt.toISOString() : String(updatedAt) };
}

export async function upsertCredential(
  tx: Transaction,
  input: { agencyId: string; tenantId: string; provider: ProviderName; secretCiphertext: string; metadata: Record<string, unknown> },
): Promise<CredentialRow> {
  const row = await queryOne<CredentialRow>(
    tx,
    `INSERT INTO provider_credentials (agency_id, tenant_id, provider, secret_ciphertext, metadata)
     VALUES (:agencyId, :tenantId, :provider, :secretCiphertext, CAST(:metadata AS jsonb))
     ON CONFLICT (tenant_id, provider) DO UPDATE SET secret_ciphertext = EXCLUDED.secret_ciphertext,
       metadata = EXCLUDED.metadata, updated_at = now()
     RETURNING ${COLUMNS}`,
    { ...input, metadata: JSON.stringify(input.metadata) },
  );
  return plain(row!);
}

export async function findCredential(tx: Transaction, where: { tenantId: string; provider: ProviderName; forUpdate?: boolean }): Promise<CredentialRow | undefined> {
  const row = await queryOne<CredentialRow>(
    tx,
    `SELECT ${COLUMNS} FROM provider_credentials WHERE tenant_id = :tenantId AND provider = :provider${where.forUpdate ? ' FOR UPDATE' : ''}`,
    where,
  );
  return row && plain(row);
}

export async function deleteCredential(tx: Transaction, where: { tenantId: string; provider: ProviderName }): Promise<boolean> {
  await queryRows(tx, 'DELETE FROM provider_numbers WHERE tenant_id = :tenantId AND provider = :provider', where);
  const rows = await queryRows(tx, 'DELETE FROM provider_credentials WHERE tenant_id = :tenantId AND provider = :provider RETURNING id', where);
  return rows.length > 0;
}

/** Replaces the tenant's numbers for a provider (the webhook routing table). */
export async function replaceNumbers(
  tx: Transaction,
  input: { agencyId: string; tenantId: string; provider: ProviderName; addresses: readonly string[] },
): Promise<void> {
  await queryRows(tx, 'DELETE FROM provider_numbers WHERE tenant_id = :tenantId AND provider = :provider', input);
  for (const address of input.addresses) {
    await queryRows(
      tx,
      'INSERT INTO provider_numbers (provider, address, agency_id, tenant_id) VALUES (:provider, :address, :agencyId, :tenantId)',
      { ...input, address },
    );
  }
}

/**
 * Which tenant owns one of our numbers. Runs in an unscoped transaction where the only visible row is
 * the one asked for (policy provider_numbers_webhook_lookup).
 */
export async function findNumberOwner(
  tx: Transaction,
  input: { provider: ProviderName; address: string },
): Promise<{ agencyId: string; tenantId: string } | undefined> {
  await queryRows(tx, `SELECT set_config('app.provider_address', :key, true)`, { key: `${input.provider}:${input.address}` });
  const row = await queryOne<{ agencyId: string; tenantId: string }>(
    tx,
    `SELECT agency_id AS "agencyId", tenant_id AS "tenantId" FROM provider_numbers WHERE provider = :provider AND address = :address`,
    input,
  );
  await queryRows(tx, `SELECT set_config('app.provider_address', '', true)`);
  return row;
}

/** The send worker's read of one tenant's credentials, knowing only the tenant (policy provider_credentials_worker_read). */
export async function findCredentialForWorker(tx: Transaction, where: { tenantId: string; provider: ProviderName }): Promise<CredentialRow | undefined> {
  await queryRows(tx, `SELECT set_config('app.credentials_tenant_id', :tenantId, true)`, where);
  const row = await findCredential(tx, where);
  await queryRows(tx, `SELECT set_config('app.credentials_tenant_id', '', true)`);
  return row;
}
