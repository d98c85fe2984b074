import type { MigrationContext } from '../migrator.js';

// "Send a test missed call" (portal → Channels): such calls run the real path but are flagged, so every
// page can mark them and billing can leave them out.
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.sequelize.query('ALTER TABLE call_logs ADD COLUMN is_test boolean NOT NULL DEFAULT false');
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.sequelize.query('ALTER TABLE call_logs DROP COLUMN is_test');
}
