import { DataTypes } from 'sequelize';
import { timestamps, uuidPrimaryKey } from '../columns.js';
import type { MigrationContext } from '../migrator.js';

// Single-use, short-lived password reset tokens; only the SHA-256 of the mailed token is kept.
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.createTable('password_reset_tokens', {
    id: uuidPrimaryKey(),
    user_id: { type: DataTypes.UUID, allowNull: false, references: { model: 'users', key: 'id' }, onDelete: 'CASCADE' },
    token_hash: { type: DataTypes.STRING(64), allowNull: false, unique: true },
    expires_at: { type: DataTypes.DATE, allowNull: false },
    used_at: { type: DataTypes.DATE, allowNull: true },
    ...timestamps(),
  });
  await qi.addIndex('password_reset_tokens', ['user_id']);
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.dropTable('password_reset_tokens');
}
