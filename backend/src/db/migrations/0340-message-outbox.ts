import type { MigrationContext } from '../migrator.js';
import { disableTenantRls, enableTenantRls } from '../rls.js';

// Work the send pipeline still owes: one row per message until it reaches a final state. The relay
// hands due rows to the channel's bull queue; a row relayed long ago whose message is not final is
// relayed again (a lost Redis job cannot strand a message). No foreign key to messages: the messages
// table belongs to the domain module and may be rebuilt independently; message_id is unique instead.
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.sequelize.query(`CREATE TABLE message_outbox (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    agency_id uuid NOT NULL REFERENCES agencies (id),
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    message_id uuid NOT NULL UNIQUE,
    channel varchar(16) NOT NULL,
    available_at timestamptz NOT NULL DEFAULT now(),
    relayed_at timestamptz,
    relay_count integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now()
  )`);
  await qi.sequelize.query('CREATE INDEX message_outbox_due_idx ON message_outbox (agency_id, available_at)');
  await enableTenantRls(qi, 'message_outbox');
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await disableTenantRls(qi, 'message_outbox');
  await qi.sequelize.query('DROP TABLE message_outbox');
}
