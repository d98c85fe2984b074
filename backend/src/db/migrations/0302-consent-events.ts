import type { MigrationContext } from '../migrator.js';
import { disableTenantRls, enableTenantRls } from '../rls.js';

// The consent ledger: every opt-in and opt-out with its evidence, never rewritten. A contact's
// current consent on a channel is its latest event there (by occurred_at, then seq).
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  const sql = (text: string) => qi.sequelize.query(text);
  await sql(`CREATE TABLE consent_events (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    seq bigint GENERATED ALWAYS AS IDENTITY,
    agency_id uuid NOT NULL REFERENCES agencies (id),
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    contact_id uuid NOT NULL REFERENCES contacts (id),
    channel varchar(16) NOT NULL CHECK (channel IN ('sms', 'whatsapp', 'telegram', 'web')),
    kind varchar(8) NOT NULL CHECK (kind IN ('opt_in', 'opt_out')),
    source varchar(32) NOT NULL,
    wording text,
    evidence jsonb,
    keyword varchar(40),
    message_id uuid REFERENCES messages (id),
    actor_type varchar(16) NOT NULL,
    actor_id varchar(200),
    occurred_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  )`);
  await sql('CREATE INDEX consent_events_contact_idx ON consent_events (contact_id, channel, occurred_at DESC, seq DESC)');
  // History is evidence: the runtime role may add to it but not change it.
  await sql(`DO $$ DECLARE grantee_name text; BEGIN
    FOR grantee_name IN SELECT DISTINCT grantee FROM information_schema.role_table_grants
      WHERE table_schema = current_schema() AND table_name = 'consent_events' AND grantee <> current_user LOOP
      EXECUTE format('REVOKE UPDATE, TRUNCATE ON consent_events FROM %I', grantee_name);
    END LOOP; END $$`);
  await enableTenantRls(qi, 'consent_events');
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await disableTenantRls(qi, 'consent_events');
  await qi.sequelize.query('DROP TABLE consent_events');
}
