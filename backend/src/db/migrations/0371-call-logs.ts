import type { MigrationContext } from '../migrator.js';
import { disableTenantRls, enableTenantRls } from '../rls.js';

// One row per phone call, inbound (missed-call text-back) or placed by us. Provider status callbacks
// upsert by the provider's call id; `outcome` is set once, when the call ends, and the call.missed /
// call.completed event is published in that same transaction (so redelivered webhooks publish nothing).
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.sequelize.query(`CREATE TABLE call_logs (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    agency_id uuid NOT NULL REFERENCES agencies (id),
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    provider varchar(32) NOT NULL,
    provider_call_id varchar(64),
    direction varchar(16) NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    from_number varchar(32) NOT NULL,
    to_number varchar(32) NOT NULL,
    status varchar(16) NOT NULL,
    duration_seconds integer,
    spoken_message text,
    outcome varchar(16) CHECK (outcome IN ('missed', 'completed')),
    placed_by varchar(200),
    started_at timestamptz,
    answered_at timestamptz,
    ended_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`);
  await qi.sequelize.query(
    'CREATE UNIQUE INDEX call_logs_provider_call_idx ON call_logs (tenant_id, provider, provider_call_id) WHERE provider_call_id IS NOT NULL',
  );
  await qi.sequelize.query('CREATE INDEX call_logs_tenant_created_idx ON call_logs (tenant_id, created_at DESC, id)');
  await enableTenantRls(qi, 'call_logs');
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await disableTenantRls(qi, 'call_logs');
  await qi.sequelize.query('DROP TABLE call_logs');
}
