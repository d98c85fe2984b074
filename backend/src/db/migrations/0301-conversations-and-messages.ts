import type { MigrationContext } from '../migrator.js';
import { disableTenantRls, enableTenantRls } from '../rls.js';

// Conversations (one per contact and channel) and their messages, both directions. A message keeps
// the policy decision that let it out (or not), its provider identity and each status change.
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  const sql = (text: string) => qi.sequelize.query(text);
  await sql(`CREATE TABLE conversations (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    agency_id uuid NOT NULL REFERENCES agencies (id),
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    contact_id uuid NOT NULL REFERENCES contacts (id),
    channel varchar(16) NOT NULL CHECK (channel IN ('sms', 'whatsapp', 'telegram', 'web')),
    last_message_at timestamptz,
    last_inbound_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, contact_id, channel)
  )`);
  await sql('CREATE INDEX conversations_tenant_recent_idx ON conversations (tenant_id, last_message_at DESC NULLS LAST)');
  await sql(`CREATE TABLE messages (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    seq bigint GENERATED ALWAYS AS IDENTITY,
    agency_id uuid NOT NULL REFERENCES agencies (id),
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    conversation_id uuid NOT NULL REFERENCES conversations (id),
    contact_id uuid NOT NULL REFERENCES contacts (id),
    direction varchar(8) NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    channel varchar(16) NOT NULL CHECK (channel IN ('sms', 'whatsapp', 'telegram', 'web')),
    from_address varchar(64),
    to_address varchar(64),
    body text,
    template jsonb,
    purpose varchar(32) NOT NULL DEFAULT 'message',
    source varchar(32) NOT NULL,
    status varchar(16) NOT NULL CHECK (status IN ('received', 'queued', 'sending', 'sent', 'delivered', 'read',
      'failed', 'undelivered', 'deferred', 'denied', 'dead')),
    policy_decision varchar(8) CHECK (policy_decision IN ('allow', 'defer', 'deny')),
    policy_reason varchar(64),
    policy_reason_text varchar(500),
    deferred_until timestamptz,
    idempotency_key varchar(200),
    provider varchar(32),
    provider_message_id varchar(128),
    error_code varchar(64),
    error_message varchar(1000),
    attempts integer NOT NULL DEFAULT 0,
    queued_at timestamptz,
    sent_at timestamptz,
    delivered_at timestamptz,
    read_at timestamptz,
    failed_at timestamptz,
    received_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK (body IS NOT NULL OR template IS NOT NULL)
  )`);
  await sql('CREATE UNIQUE INDEX messages_tenant_idempotency_key ON messages (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL');
  await sql('CREATE UNIQUE INDEX messages_provider_message_key ON messages (provider, provider_message_id) WHERE provider_message_id IS NOT NULL');
  await sql('CREATE INDEX messages_conversation_created_idx ON messages (conversation_id, created_at, seq)');
  await sql(`CREATE INDEX messages_contact_outbound_idx ON messages (contact_id, queued_at) WHERE direction = 'outbound'`);
  await sql(`CREATE INDEX messages_tenant_dead_idx ON messages (tenant_id, updated_at) WHERE status = 'dead'`);
  await sql(`CREATE TABLE message_status_events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agency_id uuid NOT NULL REFERENCES agencies (id),
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    message_id uuid NOT NULL REFERENCES messages (id),
    status varchar(16) NOT NULL,
    at timestamptz NOT NULL,
    error_code varchar(64),
    detail varchar(500),
    created_at timestamptz NOT NULL DEFAULT now()
  )`);
  await sql('CREATE INDEX message_status_events_message_idx ON message_status_events (message_id, id)');
  for (const table of ['conversations', 'messages', 'message_status_events']) await enableTenantRls(qi, table);
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  for (const table of ['message_status_events', 'messages', 'conversations']) {
    await disableTenantRls(qi, table);
    await qi.sequelize.query(`DROP TABLE ${table}`);
  }
}
