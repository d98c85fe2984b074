import { DataTypes } from 'sequelize';
import { timestamps, uuidPrimaryKey } from '../columns.js';
import type { MigrationContext } from '../migrator.js';

// The installation's owner (agency), its client businesses (tenants) and the people who log in.
// Accounts, roles and row-level security grow on top of this in later migrations.
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.createTable('agencies', {
    id: uuidPrimaryKey(),
    name: { type: DataTypes.STRING(200), allowNull: false },
    ...timestamps(),
  });
  await qi.createTable('tenants', {
    id: uuidPrimaryKey(),
    agency_id: { type: DataTypes.UUID, allowNull: false, references: { model: 'agencies', key: 'id' } },
    name: { type: DataTypes.STRING(200), allowNull: false },
    slug: { type: DataTypes.STRING(80), allowNull: false, unique: true },
    status: { type: DataTypes.STRING(20), allowNull: false, defaultValue: 'active' },
    time_zone: { type: DataTypes.STRING(64), allowNull: false, defaultValue: 'UTC' },
    ...timestamps(),
  });
  await qi.createTable('users', {
    id: uuidPrimaryKey(),
    email: { type: DataTypes.STRING(320), allowNull: false },
    name: { type: DataTypes.STRING(200), allowNull: false },
    password_hash: { type: DataTypes.TEXT, allowNull: true },
    status: { type: DataTypes.STRING(20), allowNull: false, defaultValue: 'active' },
    ...timestamps(),
  });
  await qi.sequelize.query('CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email))');
  await qi.createTable('memberships', {
    id: uuidPrimaryKey(),
    user_id: { type: DataTypes.UUID, allowNull: false, references: { model: 'users', key: 'id' }, onDelete: 'CASCADE' },
    agency_id: { type: DataTypes.UUID, allowNull: false, references: { model: 'agencies', key: 'id' } },
    tenant_id: { type: DataTypes.UUID, allowNull: true, references: { model: 'tenants', key: 'id' } },
    role: { type: DataTypes.STRING(32), allowNull: false },
    ...timestamps(),
  });
  await qi.sequelize.query(
    `CREATE UNIQUE INDEX memberships_user_scope_key ON memberships (user_id, agency_id, coalesce(tenant_id, '00000000-0000-0000-0000-000000000000'))`,
  );
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.dropTable('memberships');
  await qi.dropTable('users');
  await qi.dropTable('tenants');
  await qi.dropTable('agencies');
}
