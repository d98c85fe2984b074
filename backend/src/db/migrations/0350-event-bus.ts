import type { MigrationContext } from '../migrator.js';
import { disableTenantRls, enableTenantRls } from '../rls.js';

// The event bus: events stored in the publisher's transaction (event_outbox), external webhook
// subscriptions (n8n) and one delivery row per event and subscription (the delivery log and its retry state).
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  const sql = (text: string) => qi.sequelize.query(text);
  await sql(`CREATE TABLE event_outbox (
    id uuid PRIMARY KEY,
    agency_id uuid NOT NULL REFERENCES agencies (id),
    tenant_id uuid REFERENCES tenants (id),
    type varchar(100) NOT NULL,
    data jsonb NOT NULL,
    occurred_at timestamptz NOT NULL,
    dispatched_at timestamptz,
    dispatch_attempts integer NOT NULL DEFAULT 0,
    next_dispatch_at timestamptz NOT NULL DEFAULT now(),
    last_error varchar(1000),
    created_at timestamptz NOT NULL DEFAULT now()
  )`);
  await sql('CREATE INDEX event_outbox_pending_idx ON event_outbox (agency_id, next_dispatch_at) WHERE dispatched_at IS NULL');
  await sql(`CREATE TABLE event_subscriptions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    agency_id uuid NOT NULL REFERENCES agencies (id),
    tenant_id uuid REFERENCES tenants (id),
    url varchar(2000) NOT NULL,
    secret_encrypted text NOT NULL,
    event_types text[] NOT NULL,
    description varchar(200),
    created_by_type varchar(16) NOT NULL,
    created_by_id varchar(200) NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`);
  await sql('CREATE INDEX event_subscriptions_agency_tenant_idx ON event_subscriptions (agency_id, tenant_id)');
  await sql(`CREATE TABLE event_deliveries (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    agency_id uuid NOT NULL REFERENCES agencies (id),
    tenant_id uuid REFERENCES tenants (id),
    event_id uuid NOT NULL REFERENCES event_outbox (id),
    subscription_id uuid NOT NULL REFERENCES event_subscriptions (id) ON DELETE CASCADE,
    status varchar(16) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    locked_until timestamptz,
    last_status_code integer,
    last_error varchar(1000),
    delivered_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (event_id, subscription_id)
  )`);
  await sql(`CREATE INDEX event_deliveries_due_idx ON event_deliveries (agency_id, next_attempt_at) WHERE status = 'pending'`);
  await sql('CREATE INDEX event_deliveries_subscription_idx ON event_deliveries (subscription_id, created_at DESC)');
  for (const table of ['event_outbox', 'event_subscriptions', 'event_deliveries']) await enableTenantRls(qi, table);
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  for (const table of ['event_deliveries', 'event_subscriptions', 'event_outbox']) {
    await disableTenantRls(qi, table);
    await qi.sequelize.query(`DROP TABLE ${table}`);
  }
}
