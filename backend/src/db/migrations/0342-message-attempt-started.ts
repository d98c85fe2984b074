import type { MigrationContext } from '../migrator.js';

// When the pipeline's current send attempt started: after a crash mid-call, reconciliation asks the
// provider for what it received since then (adapters that match by content need that window).
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.sequelize.query('ALTER TABLE messages ADD COLUMN attempt_started_at timestamptz');
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.sequelize.query('ALTER TABLE messages DROP COLUMN attempt_started_at');
}
