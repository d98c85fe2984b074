import type { MigrationContext } from '../migrator.js';
import { disableTenantRls, enableTenantRls } from '../rls.js';

// What is left of an opt-out when the contact who gave it is erased: the channel, a hash of each address
// the contact had, and the erased contact whose consent ledger is the evidence. A contact who later turns
// up with one of those addresses is opted out on that channel until they opt in again themselves (see
// latestConsentEvents). The hash is SHA-256 of "<tenant id>|<address>", computed by one SQL function so
// erasure and lookup cannot disagree; the tenant id stops one table of hashed numbers matching every tenant.
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  const sql = (text: string) => qi.sequelize.query(text);
  await sql(`CREATE FUNCTION erased_address_hash(tenant uuid, address text) RETURNS char(64)
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT encode(sha256(convert_to(tenant::text || '|' || address, 'UTF8')), 'hex') $$`);
  await sql(`CREATE TABLE consent_suppressions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    agency_id uuid NOT NULL REFERENCES agencies (id),
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    channel varchar(16) NOT NULL CHECK (channel IN ('sms', 'whatsapp', 'telegram', 'web')),
    address_hash char(64) NOT NULL,
    erased_contact_id uuid NOT NULL REFERENCES contacts (id),
    opted_out_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, channel, address_hash, erased_contact_id)
  )`);
  await sql('CREATE INDEX consent_suppressions_lookup_idx ON consent_suppressions (tenant_id, address_hash)');
  // Evidence, like the consent ledger: the runtime role may add to it but not change it.
  await sql(`DO $$ DECLARE grantee_name text; BEGIN
    FOR grantee_name IN SELECT DISTINCT grantee FROM information_schema.role_table_grants
      WHERE table_schema = current_schema() AND table_name = 'consent_suppressions' AND grantee <> current_user LOOP
      EXECUTE format('REVOKE UPDATE, TRUNCATE ON consent_suppressions FROM %I', grantee_name);
    END LOOP; END $$`);
  await enableTenantRls(qi, 'consent_suppressions');
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await disableTenantRls(qi, 'consent_suppressions');
  await qi.sequelize.query('DROP TABLE consent_suppressions');
  await qi.sequelize.query('DROP FUNCTION erased_address_hash(uuid, text)');
}
