import type { MigrationContext } from '../migrator.js';
import { disableTenantRls, enableTenantRls } from '../rls.js';

// Per-sender pacing overrides (a short code or a WhatsApp business number may send faster than a long
// code). sender NULL = the tenant's default for the channel. Without a row the adapter's defaultPacing applies.
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.sequelize.query(`CREATE TABLE sender_pacing (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    channel varchar(16) NOT NULL,
    sender varchar(200),
    messages_per_second numeric(8, 3) NOT NULL CHECK (messages_per_second > 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`);
  await qi.sequelize.query(
    `CREATE UNIQUE INDEX sender_pacing_key ON sender_pacing (tenant_id, channel, coalesce(sender, ''))`,
  );
  await enableTenantRls(qi, 'sender_pacing');
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await disableTenantRls(qi, 'sender_pacing');
  await qi.sequelize.query('DROP TABLE sender_pacing');
}
