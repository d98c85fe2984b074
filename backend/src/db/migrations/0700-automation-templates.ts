import type { MigrationContext } from '../migrator.js';
import { disableTenantRls, enableTenantRls } from '../rls.js';

// The texts the shipped automations send (missed-call text-back, follow-ups), per tenant. A tenant without
// a row gets the built-in default (modules/automation-templates/template-catalog.ts).
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.sequelize.query(`CREATE TABLE automation_templates (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    agency_id uuid NOT NULL REFERENCES agencies (id),
    key varchar(64) NOT NULL,
    text varchar(1600) NOT NULL,
    whatsapp_template varchar(100),
    whatsapp_language varchar(10),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, key)
  )`);
  await enableTenantRls(qi, 'automation_templates');
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await disableTenantRls(qi, 'automation_templates');
  await qi.sequelize.query('DROP TABLE automation_templates');
}
