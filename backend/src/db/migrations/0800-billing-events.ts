import type { MigrationContext } from '../migrator.js';
import { currentScopeSql } from '../rls.js';

// Stripe Billing webhooks received on /webhooks/stripe-billing/:agencyId, stored once per Stripe event id
// (a replay finds its row and is not applied twice), with the object it was about and when it was applied.
// Applying re-reads the subscription from Stripe, so applied_at is a receipt, not an ordering key.
// Agency scope only, like the agency's Stripe settings.
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  const sql = (text: string) => qi.sequelize.query(text);
  await sql(`CREATE TABLE billing_events (
    id bigserial PRIMARY KEY,
    agency_id uuid NOT NULL REFERENCES agencies (id),
    stripe_event_id varchar(255) NOT NULL UNIQUE,
    type varchar(100) NOT NULL,
    stripe_object_id varchar(255),
    tenant_id uuid REFERENCES tenants (id),
    received_at timestamptz NOT NULL DEFAULT now(),
    applied_at timestamptz
  )`);
  await sql('CREATE INDEX billing_events_agency_idx ON billing_events (agency_id, received_at)');
  const agency = currentScopeSql('agencyId');
  const tenant = currentScopeSql('tenantId');
  await sql('ALTER TABLE billing_events ENABLE ROW LEVEL SECURITY');
  await sql('ALTER TABLE billing_events FORCE ROW LEVEL SECURITY');
  await sql(`CREATE POLICY billing_events_agency_only ON billing_events USING (agency_id = ${agency} AND ${tenant} IS NULL)
    WITH CHECK (agency_id = ${agency} AND ${tenant} IS NULL)`);
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.sequelize.query('DROP TABLE billing_events');
}
