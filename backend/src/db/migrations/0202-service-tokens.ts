import type { MigrationContext } from '../migrator.js';
import { currentScopeSql, disableTenantRls, enableTenantRls } from '../rls.js';

// Machine credentials (n8n, scripts). Only a sha256 of the secret is stored. Bearer authentication
// reads the one token it was handed (scope app.service_token_id) before it knows the agency.
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.sequelize.query(`CREATE TABLE service_tokens (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    agency_id uuid NOT NULL REFERENCES agencies (id),
    tenant_id uuid REFERENCES tenants (id),
    name varchar(100) NOT NULL,
    permissions text[] NOT NULL,
    secret_hash char(64) NOT NULL,
    created_by_type varchar(16) NOT NULL,
    created_by_id varchar(200) NOT NULL,
    last_used_at timestamptz,
    revoked_at timestamptz,
    replaced_by_id uuid REFERENCES service_tokens (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`);
  await qi.sequelize.query('CREATE INDEX service_tokens_agency_tenant_idx ON service_tokens (agency_id, tenant_id)');
  await enableTenantRls(qi, 'service_tokens');
  await qi.sequelize.query(
    `CREATE POLICY service_tokens_bearer_read ON service_tokens FOR SELECT USING (id = ${currentScopeSql('serviceTokenId')})`,
  );
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.sequelize.query('DROP POLICY IF EXISTS service_tokens_bearer_read ON service_tokens');
  await disableTenantRls(qi, 'service_tokens');
  await qi.sequelize.query('DROP TABLE service_tokens');
}
