import type { MigrationContext } from '../migrator.js';
import { disableTenantRls, enableTenantRls } from '../rls.js';

// Per-tenant provider accounts (Twilio now; WhatsApp, Telegram next). The secret part is one
// AES-256-GCM token (infra/crypto.ts, ENCRYPTION_KEY); `metadata` holds only what may be shown.
// provider_numbers maps each of our phone numbers to its tenant so a webhook can find the tenant
// before it knows anything else; that lookup sees exactly one row (app.provider_address), nothing more.
// The send worker reads one tenant's credentials by tenant id (app.credentials_tenant_id).
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.sequelize.query(`CREATE TABLE provider_credentials (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    agency_id uuid NOT NULL REFERENCES agencies (id),
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    provider varchar(32) NOT NULL,
    secret_ciphertext text NOT NULL,
    metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, provider)
  )`);
  await enableTenantRls(qi, 'provider_credentials');
  await qi.sequelize.query(`CREATE POLICY provider_credentials_worker_read ON provider_credentials FOR SELECT
    USING (tenant_id = nullif(current_setting('app.credentials_tenant_id', true), '')::uuid)`);

  await qi.sequelize.query(`CREATE TABLE provider_numbers (
    provider varchar(32) NOT NULL,
    address varchar(64) NOT NULL,
    agency_id uuid NOT NULL REFERENCES agencies (id),
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (provider, address)
  )`);
  await qi.sequelize.query('CREATE INDEX provider_numbers_tenant_idx ON provider_numbers (tenant_id, provider)');
  await enableTenantRls(qi, 'provider_numbers');
  await qi.sequelize.query(`CREATE POLICY provider_numbers_webhook_lookup ON provider_numbers FOR SELECT
    USING (provider || ':' || address = nullif(current_setting('app.provider_address', true), ''))`);
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.sequelize.query('DROP POLICY IF EXISTS provider_numbers_webhook_lookup ON provider_numbers');
  await disableTenantRls(qi, 'provider_numbers');
  await qi.sequelize.query('DROP TABLE provider_numbers');
  await qi.sequelize.query('DROP POLICY IF EXISTS provider_credentials_worker_read ON provider_credentials');
  await disableTenantRls(qi, 'provider_credentials');
  await qi.sequelize.query('DROP TABLE provider_credentials');
}
