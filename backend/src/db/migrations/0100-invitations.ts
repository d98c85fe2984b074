import { DataTypes } from 'sequelize';
import { timestamps, uuidPrimaryKey } from '../columns.js';
import type { MigrationContext } from '../migrator.js';
import { disableTenantRls, enableTenantRls } from '../rls.js';

// An invitation to join the agency (tenant_id null) or one tenant with a role. Only a hash of the
// emailed token is stored, so a database dump cannot be used to accept invitations.
// Row-level security: the inviting agency/tenant sees its invitations; whoever holds the token (accept
// happens before any scope is known) sees exactly that one row, through app.invitation_token_hash.
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.createTable('invitations', {
    id: uuidPrimaryKey(),
    agency_id: { type: DataTypes.UUID, allowNull: false, references: { model: 'agencies', key: 'id' } },
    tenant_id: { type: DataTypes.UUID, allowNull: true, references: { model: 'tenants', key: 'id' }, onDelete: 'CASCADE' },
    email: { type: DataTypes.STRING(320), allowNull: false },
    role: { type: DataTypes.STRING(32), allowNull: false },
    token_hash: { type: DataTypes.STRING(64), allowNull: false, unique: true },
    invited_by_user_id: { type: DataTypes.UUID, allowNull: true, references: { model: 'users', key: 'id' }, onDelete: 'SET NULL' },
    expires_at: { type: DataTypes.DATE, allowNull: false },
    accepted_at: { type: DataTypes.DATE, allowNull: true },
    accepted_by_user_id: { type: DataTypes.UUID, allowNull: true, references: { model: 'users', key: 'id' }, onDelete: 'SET NULL' },
    revoked_at: { type: DataTypes.DATE, allowNull: true },
    ...timestamps(),
  });
  await qi.sequelize.query(
    'CREATE INDEX invitations_pending_email_idx ON invitations (agency_id, lower(email)) WHERE accepted_at IS NULL AND revoked_at IS NULL',
  );
  await enableTenantRls(qi, 'invitations');
  await qi.sequelize.query(
    `CREATE POLICY invitations_token_read ON invitations FOR SELECT
       USING (token_hash = nullif(current_setting('app.invitation_token_hash', true), ''))`,
  );
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.sequelize.query('DROP POLICY IF EXISTS invitations_token_read ON invitations');
  await disableTenantRls(qi, 'invitations');
  await qi.dropTable('invitations');
}
