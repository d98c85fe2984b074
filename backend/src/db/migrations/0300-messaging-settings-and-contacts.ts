import type { MigrationContext } from '../migrator.js';
import { disableTenantRls, enableTenantRls } from '../rls.js';

// Per-tenant messaging rules (the send policy's settings) and the people a tenant talks to. A contact
// is one person across channels: E.164 phone (unique per tenant), WhatsApp id and Telegram chat id.
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  const sql = (text: string) => qi.sequelize.query(text);
  await sql(`CREATE TABLE messaging_settings (
    tenant_id uuid PRIMARY KEY REFERENCES tenants (id),
    agency_id uuid NOT NULL REFERENCES agencies (id),
    default_country char(2),
    window_start time NOT NULL DEFAULT '08:00',
    window_end time NOT NULL DEFAULT '21:00',
    opt_in_required jsonb NOT NULL DEFAULT '{"sms": true, "whatsapp": true, "telegram": false, "web": false}',
    frequency_cap_count integer DEFAULT 5 CHECK (frequency_cap_count IS NULL OR frequency_cap_count > 0),
    frequency_cap_hours integer NOT NULL DEFAULT 24 CHECK (frequency_cap_hours BETWEEN 1 AND 168),
    reply_window_hours integer NOT NULL DEFAULT 24 CHECK (reply_window_hours BETWEEN 0 AND 168),
    help_text varchar(500),
    opt_out_confirmation_text varchar(500),
    opt_in_confirmation_text varchar(500),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`);
  await sql(`CREATE TABLE contacts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    agency_id uuid NOT NULL REFERENCES agencies (id),
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    phone varchar(20),
    whatsapp_id varchar(64),
    telegram_chat_id varchar(64),
    country char(2),
    time_zone varchar(64),
    time_zone_source varchar(10) CHECK (time_zone_source IN ('inferred', 'manual')),
    name varchar(200),
    email varchar(320),
    lead_stage varchar(40) NOT NULL DEFAULT 'new',
    notes text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK (time_zone IS NULL OR time_zone_source IS NOT NULL)
  )`);
  await sql('CREATE UNIQUE INDEX contacts_tenant_phone_key ON contacts (tenant_id, phone) WHERE phone IS NOT NULL');
  await sql('CREATE UNIQUE INDEX contacts_tenant_whatsapp_key ON contacts (tenant_id, whatsapp_id) WHERE whatsapp_id IS NOT NULL');
  await sql('CREATE UNIQUE INDEX contacts_tenant_telegram_key ON contacts (tenant_id, telegram_chat_id) WHERE telegram_chat_id IS NOT NULL');
  await sql('CREATE INDEX contacts_tenant_email_idx ON contacts (tenant_id, lower(email))');
  await sql('CREATE INDEX contacts_tenant_name_idx ON contacts (tenant_id, lower(name))');
  await enableTenantRls(qi, 'messaging_settings');
  await enableTenantRls(qi, 'contacts');
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await disableTenantRls(qi, 'contacts');
  await disableTenantRls(qi, 'messaging_settings');
  await qi.sequelize.query('DROP TABLE contacts');
  await qi.sequelize.query('DROP TABLE messaging_settings');
}
