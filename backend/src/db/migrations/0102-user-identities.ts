import { DataTypes } from 'sequelize';
import { timestamps, uuidPrimaryKey } from '../columns.js';
import type { MigrationContext } from '../migrator.js';

// External sign-in identities (Google) linked to an existing user. One per provider per user, and a
// provider's subject belongs to exactly one user.
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.createTable('user_identities', {
    id: uuidPrimaryKey(),
    user_id: { type: DataTypes.UUID, allowNull: false, references: { model: 'users', key: 'id' }, onDelete: 'CASCADE' },
    provider: { type: DataTypes.STRING(32), allowNull: false },
    subject: { type: DataTypes.STRING(255), allowNull: false },
    email: { type: DataTypes.STRING(320), allowNull: false },
    ...timestamps(),
  });
  await qi.addIndex('user_identities', ['provider', 'subject'], { unique: true, name: 'user_identities_provider_subject_key' });
  await qi.addIndex('user_identities', ['user_id', 'provider'], { unique: true, name: 'user_identities_user_provider_key' });
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.dropTable('user_identities');
}
