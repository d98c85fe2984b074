import type { MigrationContext } from '../migrator.js';
import { disableTenantRls, enableTenantRls } from '../rls.js';

// What Stripe told us about payments (checkout completed, async payment failed, ...), once per Stripe
// event id: Stripe retries webhooks, and each event becomes one payment.* domain event.
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.sequelize.query(`CREATE TABLE payment_events (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    agency_id uuid NOT NULL REFERENCES agencies (id),
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    provider varchar(32) NOT NULL,
    provider_event_id varchar(100) NOT NULL,
    type varchar(60) NOT NULL,
    payment_link_id uuid REFERENCES payment_links (id) ON DELETE SET NULL,
    contact_id uuid REFERENCES contacts (id) ON DELETE SET NULL,
    amount bigint,
    currency varchar(3),
    occurred_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (tenant_id, provider, provider_event_id)
  )`);
  await qi.sequelize.query('CREATE INDEX payment_events_link_idx ON payment_events (tenant_id, payment_link_id)');
  await enableTenantRls(qi, 'payment_events');
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await disableTenantRls(qi, 'payment_events');
  await qi.sequelize.query('DROP TABLE payment_events');
}
