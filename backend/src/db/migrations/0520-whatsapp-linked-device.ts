import type { MigrationContext } from '../migrator.js';
import { disableTenantRls, enableTenantRls } from '../rls.js';

const TABLES = ['whatsapp_linked_devices', 'whatsapp_auth_entries', 'message_media'] as const;

// WhatsApp linked device (Baileys): one session per tenant with its health, and the session's auth state
// (credentials and Signal keys) encrypted in PostgreSQL, not in files, so a worker can restart or move
// without re-pairing. Inbound media bytes are kept per message so staff can open them later.
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  const sql = (text: string) => qi.sequelize.query(text);
  await sql(`CREATE TABLE whatsapp_linked_devices (
    tenant_id uuid PRIMARY KEY REFERENCES tenants (id),
    agency_id uuid NOT NULL REFERENCES agencies (id),
    state varchar(16) NOT NULL DEFAULT 'connecting' CHECK (state IN ('connecting', 'qr', 'open', 'logged_out', 'banned', 'stopped')),
    phone varchar(20),
    jid varchar(100),
    last_error varchar(500),
    warnings jsonb NOT NULL DEFAULT '[]',
    reconnect_attempts integer NOT NULL DEFAULT 0,
    paired_at timestamptz,
    updated_at timestamptz NOT NULL DEFAULT now()
  )`);
  await sql(`CREATE TABLE whatsapp_auth_entries (
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    agency_id uuid NOT NULL REFERENCES agencies (id),
    category varchar(40) NOT NULL,
    key_id varchar(200) NOT NULL,
    ciphertext text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, category, key_id)
  )`);
  await sql(`CREATE TABLE message_media (
    message_id uuid PRIMARY KEY REFERENCES messages (id),
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    agency_id uuid NOT NULL REFERENCES agencies (id),
    kind varchar(16) NOT NULL,
    mime_type varchar(100) NOT NULL,
    file_name varchar(255),
    size_bytes integer NOT NULL,
    data bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  )`);
  for (const table of TABLES) await enableTenantRls(qi, table);
  await sql('ALTER TABLE messaging_settings ADD COLUMN linked_device_cold_contacts boolean NOT NULL DEFAULT false');
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.sequelize.query('ALTER TABLE messaging_settings DROP COLUMN linked_device_cold_contacts');
  for (const table of [...TABLES].reverse()) {
    await disableTenantRls(qi, table);
    await qi.sequelize.query(`DROP TABLE ${table}`);
  }
}
