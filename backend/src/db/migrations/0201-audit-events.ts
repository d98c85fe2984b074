import type { MigrationContext } from '../migrator.js';
import { disableTenantRls, enableTenantRls } from '../rls.js';

// The append-only, hash-chained audit trail. One chain per tenant (per agency for agency-level
// events); audit_chain_heads remembers each chain's last link so a deleted tail is detected too.
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  const sql = (text: string) => qi.sequelize.query(text);
  await sql(`CREATE TABLE audit_events (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    chain_key varchar(64) NOT NULL,
    seq bigint NOT NULL,
    agency_id uuid NOT NULL REFERENCES agencies (id),
    tenant_id uuid REFERENCES tenants (id),
    actor_type varchar(16) NOT NULL CHECK (actor_type IN ('user', 'service', 'system', 'anonymous')),
    actor_id varchar(200),
    acting_as_tenant_id uuid,
    action varchar(100) NOT NULL,
    target_type varchar(64),
    target_id varchar(200),
    before jsonb,
    after jsonb,
    request_id varchar(128),
    ip varchar(64),
    created_at timestamptz NOT NULL DEFAULT now(),
    prev_hash char(64) NOT NULL,
    hash char(64) NOT NULL,
    UNIQUE (chain_key, seq)
  )`);
  await sql('CREATE INDEX audit_events_agency_created_idx ON audit_events (agency_id, created_at)');
  await sql('CREATE INDEX audit_events_tenant_created_idx ON audit_events (tenant_id, created_at)');
  await sql(`CREATE TABLE audit_chain_heads (
    chain_key varchar(64) PRIMARY KEY,
    agency_id uuid NOT NULL REFERENCES agencies (id),
    tenant_id uuid REFERENCES tenants (id),
    seq bigint NOT NULL,
    hash char(64) NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
  )`);
  // Append-only for everyone, the owner included; only a superuser disabling triggers can rewrite history.
  await sql(`CREATE FUNCTION audit_events_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'audit_events is append-only (% rejected)', TG_OP USING ERRCODE = 'insufficient_privilege'; END $$`);
  await sql(`CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_reject_change()`);
  await sql(`CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_reject_change()`);
  // Default privileges granted the runtime role UPDATE/DELETE; take them back from every grantee.
  await sql(`DO $$ DECLARE grantee_name text; BEGIN
    FOR grantee_name IN SELECT DISTINCT grantee FROM information_schema.role_table_grants
      WHERE table_schema = current_schema() AND table_name = 'audit_events' AND grantee <> current_user LOOP
      EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM %I', grantee_name);
    END LOOP; END $$`);
  await enableTenantRls(qi, 'audit_events');
  await enableTenantRls(qi, 'audit_chain_heads');
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await disableTenantRls(qi, 'audit_chain_heads');
  await disableTenantRls(qi, 'audit_events');
  await qi.sequelize.query('DROP TABLE audit_chain_heads');
  await qi.sequelize.query('DROP TABLE audit_events');
  await qi.sequelize.query('DROP FUNCTION audit_events_reject_change()');
}
