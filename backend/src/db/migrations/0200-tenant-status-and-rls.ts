import { DataTypes } from 'sequelize';
import type { MigrationContext } from '../migrator.js';
import { currentScopeSql, disableTenantRls, enableTenantRls } from '../rls.js';

// Suspension details on tenants, and row-level security on the accounts tables. A user may always
// read their own memberships (login resolves them before any agency/tenant scope is known).
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.addColumn('tenants', 'suspended_at', { type: DataTypes.DATE, allowNull: true });
  await qi.addColumn('tenants', 'suspended_reason', { type: DataTypes.STRING(500), allowNull: true });
  await qi.sequelize.query(`ALTER TABLE tenants ADD CONSTRAINT tenants_status_check CHECK (status IN ('active', 'suspended'))`);
  await qi.sequelize.query(`CREATE INDEX memberships_agency_tenant_idx ON memberships (agency_id, tenant_id)`);
  await enableTenantRls(qi, 'tenants', { tenantColumn: 'id', agencyColumn: 'agency_id' });
  await enableTenantRls(qi, 'memberships');
  await qi.sequelize.query(
    `CREATE POLICY memberships_own_read ON memberships FOR SELECT USING (user_id = ${currentScopeSql('userId')})`,
  );
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.sequelize.query('DROP POLICY IF EXISTS memberships_own_read ON memberships');
  await disableTenantRls(qi, 'memberships');
  await disableTenantRls(qi, 'tenants');
  await qi.sequelize.query('DROP INDEX IF EXISTS memberships_agency_tenant_idx');
  await qi.sequelize.query('ALTER TABLE tenants DROP CONSTRAINT IF EXISTS tenants_status_check');
  await qi.removeColumn('tenants', 'suspended_reason');
  await qi.removeColumn('tenants', 'suspended_at');
}
