import type { MigrationContext } from '../migrator.js';
import { currentScopeSql } from '../rls.js';

// Provider webhooks (Twilio, WhatsApp Cloud, Telegram, Stripe) whose signature did not verify: one row
// each, shown on the agency's System health page and deleted after 30 days by the worker's retention loop.
// A forged request often names no tenant we know (or none at all): such rows have no agency and are
// installation-level: written without a scope, read at any agency's scope (never a tenant's, never unscoped).
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  const sql = (text: string) => qi.sequelize.query(text);
  await sql(`CREATE TABLE webhook_failures (
    id bigserial PRIMARY KEY,
    agency_id uuid REFERENCES agencies (id),
    tenant_id uuid REFERENCES tenants (id),
    provider varchar(32) NOT NULL,
    reason varchar(200) NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  )`);
  await sql('CREATE INDEX webhook_failures_created_idx ON webhook_failures (created_at)');
  const agency = currentScopeSql('agencyId');
  const tenant = currentScopeSql('tenantId');
  const visible = `((agency_id IS NULL AND ${agency} IS NOT NULL AND ${tenant} IS NULL)
    OR (agency_id = ${agency} AND (${tenant} IS NULL OR tenant_id = ${tenant})))`;
  await sql('ALTER TABLE webhook_failures ENABLE ROW LEVEL SECURITY');
  await sql('ALTER TABLE webhook_failures FORCE ROW LEVEL SECURITY');
  await sql(`CREATE POLICY webhook_failures_tenant_isolation ON webhook_failures USING ${visible}
    WITH CHECK (agency_id IS NULL OR ${visible})`);
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.sequelize.query('DROP TABLE webhook_failures');
}
