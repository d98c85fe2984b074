import type { MigrationContext } from '../migrator.js';
import { disableTenantRls, enableTenantRls } from '../rls.js';

// Each tenant's one Stripe customer on its agency's account, kept from the first Checkout on. Stripe forgets an
// Idempotency-Key after 24 hours, so a key alone cannot stop a second customer when a business abandons
// Checkout and comes back a day later (before any subscription row holds the customer id).
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.sequelize.query(`CREATE TABLE stripe_customers (
    tenant_id uuid PRIMARY KEY REFERENCES tenants (id),
    agency_id uuid NOT NULL REFERENCES agencies (id),
    customer_id varchar(255) NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  )`);
  await enableTenantRls(qi, 'stripe_customers');
  // Customers of tenants that already subscribed.
  await qi.sequelize.query(`INSERT INTO stripe_customers (tenant_id, agency_id, customer_id)
    SELECT tenant_id, agency_id, stripe_customer_id FROM subscriptions WHERE stripe_customer_id IS NOT NULL`);
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await disableTenantRls(qi, 'stripe_customers');
  await qi.sequelize.query('DROP TABLE stripe_customers');
}
