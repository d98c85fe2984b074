import type { MigrationContext } from '../migrator.js';
import { disableTenantRls, enableTenantRls } from '../rls.js';

// A tenant's subscription (at most one): which plan version, how it is billed ('stripe', 'manual' = billed
// outside Switchboard, 'comped' = free), its status and period. Stripe's ids arrive with Checkout and
// webhooks (later); agency staff assign, comp or trial by hand. A removed subscription stays as 'canceled'.
// Tenant-scoped: a tenant reads its own row, the agency its tenants'.
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  const sql = (text: string) => qi.sequelize.query(text);
  await sql(`CREATE TABLE subscriptions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    agency_id uuid NOT NULL REFERENCES agencies (id),
    tenant_id uuid NOT NULL UNIQUE REFERENCES tenants (id),
    plan_version_id uuid NOT NULL REFERENCES plan_versions (id),
    status varchar(16) NOT NULL CHECK (status IN ('trialing', 'active', 'past_due', 'unpaid', 'canceled', 'paused', 'incomplete')),
    billing varchar(8) NOT NULL CHECK (billing IN ('stripe', 'manual', 'comped')),
    interval varchar(5) NOT NULL CHECK (interval IN ('month', 'year')),
    current_period_start timestamptz NOT NULL,
    current_period_end timestamptz NOT NULL,
    trial_end timestamptz,
    cancel_at_period_end boolean NOT NULL DEFAULT false,
    past_due_since timestamptz,
    stripe_customer_id varchar(255),
    stripe_subscription_id varchar(255) UNIQUE,
    stripe_synced_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`);
  await sql('CREATE INDEX subscriptions_plan_version_idx ON subscriptions (plan_version_id) WHERE status <> \'canceled\'');
  await sql('CREATE INDEX subscriptions_agency_idx ON subscriptions (agency_id)');
  await enableTenantRls(qi, 'subscriptions');
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await disableTenantRls(qi, 'subscriptions');
  await qi.sequelize.query('DROP TABLE subscriptions');
}
