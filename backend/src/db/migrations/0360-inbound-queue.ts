import type { MigrationContext } from '../migrator.js';
import { disableTenantRls, enableTenantRls } from '../rls.js';

// Inbound messages a provider delivered and we acknowledged but have not processed yet. The webhook
// stores the verified delivery here (one short insert) and answers at once; the worker turns it into a
// contact, conversation, message, keyword handling and message.received. Unique by provider message id
// so a provider's retry of a queued delivery is a no-op; receiveInbound dedupes again after processing.
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.sequelize.query(`CREATE TABLE inbound_queue (
    id bigserial PRIMARY KEY,
    agency_id uuid NOT NULL REFERENCES agencies (id),
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    provider varchar(32) NOT NULL,
    provider_message_id varchar(200) NOT NULL,
    message jsonb NOT NULL,
    received_at timestamptz NOT NULL,
    available_at timestamptz NOT NULL DEFAULT now(),
    attempts integer NOT NULL DEFAULT 0,
    last_error varchar(1000),
    failed_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, provider, provider_message_id)
  )`);
  await qi.sequelize.query('CREATE INDEX inbound_queue_due_idx ON inbound_queue (agency_id, available_at) WHERE failed_at IS NULL');
  await enableTenantRls(qi, 'inbound_queue');
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await disableTenantRls(qi, 'inbound_queue');
  await qi.sequelize.query('DROP TABLE inbound_queue');
}
