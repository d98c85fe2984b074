import type { MigrationContext } from '../migrator.js';
import { disableTenantRls, enableTenantRls } from '../rls.js';

// Alerts the worker raises for an agency (a stuck queue, a logged-out WhatsApp session, a failed or old
// backup, a full disk): at most one open alert per kind and subject, resolved when the condition clears.
// tenant_id names the tenant an alert is about (a WhatsApp session); NULL for installation-wide ones.
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  const sql = (text: string) => qi.sequelize.query(text);
  await sql(`CREATE TABLE system_alerts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    agency_id uuid NOT NULL REFERENCES agencies (id),
    tenant_id uuid REFERENCES tenants (id),
    kind varchar(32) NOT NULL,
    subject_key varchar(200) NOT NULL,
    detail varchar(500) NOT NULL,
    opened_at timestamptz NOT NULL DEFAULT now(),
    resolved_at timestamptz,
    last_notified_at timestamptz
  )`);
  await sql('CREATE UNIQUE INDEX system_alerts_one_open ON system_alerts (agency_id, kind, subject_key) WHERE resolved_at IS NULL');
  await sql('CREATE INDEX system_alerts_agency_opened_idx ON system_alerts (agency_id, opened_at DESC)');
  await enableTenantRls(qi, 'system_alerts');
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await disableTenantRls(qi, 'system_alerts');
  await qi.sequelize.query('DROP TABLE system_alerts');
}
