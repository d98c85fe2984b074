import type { MigrationContext } from '../migrator.js';
import { disableTenantRls, enableTenantRls } from '../rls.js';

// Overrides of the in-code flag registry: for the whole installation (agency), one tenant or one user.
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.sequelize.query(`CREATE TABLE feature_flag_overrides (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    agency_id uuid NOT NULL REFERENCES agencies (id),
    tenant_id uuid REFERENCES tenants (id),
    user_id uuid REFERENCES users (id) ON DELETE CASCADE,
    flag_key varchar(100) NOT NULL,
    enabled boolean NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK (tenant_id IS NULL OR user_id IS NULL)
  )`);
  await qi.sequelize.query(`CREATE UNIQUE INDEX feature_flag_overrides_scope_key ON feature_flag_overrides
    (agency_id, flag_key, coalesce(tenant_id, '00000000-0000-0000-0000-000000000000'), coalesce(user_id, '00000000-0000-0000-0000-000000000000'))`);
  await enableTenantRls(qi, 'feature_flag_overrides');
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await disableTenantRls(qi, 'feature_flag_overrides');
  await qi.sequelize.query('DROP TABLE feature_flag_overrides');
}
