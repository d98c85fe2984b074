import type { MigrationContext } from '../migrator.js';
import { currentScopeSql, disableTenantRls, enableTenantRls } from '../rls.js';

// The AI model an agency sets up in the portal (OpenAI-compatible base URL, API key, model, fallback
// model), with an optional per-tenant override (tenant_id set). The key is one AES-256-GCM token
// (infra/crypto.ts); only its last 4 characters may be shown. The last "Test" result is kept so
// switching an agent on need not call the model again. A tenant reads its agency's default row too
// (policy ai_provider_settings_agency_default), never another tenant's override.
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  const sql = (text: string) => qi.sequelize.query(text);
  await sql(`CREATE TABLE ai_provider_settings (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    agency_id uuid NOT NULL REFERENCES agencies (id),
    tenant_id uuid REFERENCES tenants (id),
    base_url varchar(500) NOT NULL,
    api_key_ciphertext text NOT NULL,
    api_key_last4 varchar(8) NOT NULL,
    model varchar(100) NOT NULL,
    fallback_model varchar(100),
    tested_at timestamptz,
    test_ok boolean,
    test_error varchar(500),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`);
  await sql('CREATE UNIQUE INDEX ai_provider_settings_agency_default ON ai_provider_settings (agency_id) WHERE tenant_id IS NULL');
  await sql('CREATE UNIQUE INDEX ai_provider_settings_tenant_override ON ai_provider_settings (tenant_id) WHERE tenant_id IS NOT NULL');
  await enableTenantRls(qi, 'ai_provider_settings');
  await sql(`CREATE POLICY ai_provider_settings_agency_default ON ai_provider_settings FOR SELECT
    USING (tenant_id IS NULL AND agency_id = ${currentScopeSql('agencyId')})`);
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.sequelize.query('DROP POLICY IF EXISTS ai_provider_settings_agency_default ON ai_provider_settings');
  await disableTenantRls(qi, 'ai_provider_settings');
  await qi.sequelize.query('DROP TABLE ai_provider_settings');
}
