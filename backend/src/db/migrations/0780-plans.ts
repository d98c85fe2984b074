import type { MigrationContext } from '../migrator.js';
import { currentScopeSql } from '../rls.js';

const AGENCY_TABLES = ['agency_billing_settings', 'plans', 'plan_versions'] as const;

// The agency's catalogue and its own Stripe account.
// - agency_billing_settings: the agency's Stripe secret key and webhook signing secret (AES-256-GCM tokens,
//   infra/crypto.ts; only the key's last 4 may be shown), currency, dunning grace and self sign-up. Agency
//   scope only: a tenant never reads the secrets (a use case needing currency or grace runs at agency scope).
// - plans: one per product the agency sells, mirrored as one Stripe product.
// - plan_versions: the terms (prices, trial, entitlements). A version with subscribers is never edited: a
//   change makes version N+1. Each version is mirrored as one recurring Stripe price per interval;
//   stripe_sync_status says whether that worked ('pending' between saving and the Stripe call).
//   price_revision bumps when an unsubscribed version's price is edited in place (a new Stripe price, a
//   new idempotency key); stripe_stale_price_ids are replaced prices still to archive in Stripe.
// Plans are readable by the agency's tenants (their billing page compares plans), written at agency scope only.
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  const sql = (text: string) => qi.sequelize.query(text);
  await sql(`CREATE TABLE agency_billing_settings (
    agency_id uuid PRIMARY KEY REFERENCES agencies (id),
    stripe_secret_ciphertext text,
    stripe_webhook_secret_ciphertext text,
    secret_last4 varchar(8),
    mode varchar(4) CHECK (mode IN ('test', 'live')),
    currency char(3) NOT NULL DEFAULT 'usd' CHECK (currency ~ '^[a-z]{3}$'),
    grace_days int NOT NULL DEFAULT 7 CHECK (grace_days BETWEEN 0 AND 90),
    self_signup_enabled boolean NOT NULL DEFAULT false,
    updated_at timestamptz NOT NULL DEFAULT now()
  )`);
  await sql(`CREATE TABLE plans (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    agency_id uuid NOT NULL REFERENCES agencies (id),
    name varchar(100) NOT NULL,
    description varchar(1000) NOT NULL DEFAULT '',
    currency char(3) NOT NULL CHECK (currency ~ '^[a-z]{3}$'),
    stripe_product_id varchar(255),
    archived_at timestamptz,
    current_version_id uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`);
  await sql('CREATE INDEX plans_agency_idx ON plans (agency_id, created_at)');
  await sql(`CREATE TABLE plan_versions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    plan_id uuid NOT NULL REFERENCES plans (id),
    agency_id uuid NOT NULL REFERENCES agencies (id),
    version int NOT NULL CHECK (version >= 1),
    monthly_price_minor bigint NOT NULL CHECK (monthly_price_minor >= 0),
    yearly_price_minor bigint CHECK (yearly_price_minor >= 0),
    trial_days int NOT NULL DEFAULT 0 CHECK (trial_days BETWEEN 0 AND 730),
    entitlements jsonb NOT NULL,
    stripe_monthly_price_id varchar(255),
    stripe_yearly_price_id varchar(255),
    price_revision int NOT NULL DEFAULT 1,
    stripe_stale_price_ids text[] NOT NULL DEFAULT '{}',
    stripe_sync_status varchar(16) NOT NULL DEFAULT 'pending'
      CHECK (stripe_sync_status IN ('pending', 'synced', 'not_connected', 'failed')),
    stripe_sync_error varchar(500),
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by varchar(100) NOT NULL,
    UNIQUE (plan_id, version)
  )`);
  await sql('ALTER TABLE plans ADD CONSTRAINT plans_current_version_fk FOREIGN KEY (current_version_id) REFERENCES plan_versions (id) DEFERRABLE INITIALLY DEFERRED');
  const agency = currentScopeSql('agencyId');
  const tenant = currentScopeSql('tenantId');
  for (const table of AGENCY_TABLES) {
    await sql(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
    await sql(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
    await sql(`CREATE POLICY ${table}_agency_only ON ${table} USING (agency_id = ${agency} AND ${tenant} IS NULL)
      WITH CHECK (agency_id = ${agency} AND ${tenant} IS NULL)`);
  }
  for (const table of ['plans', 'plan_versions']) {
    await sql(`CREATE POLICY ${table}_tenant_read ON ${table} FOR SELECT USING (agency_id = ${agency})`);
  }
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.sequelize.query('ALTER TABLE plans DROP CONSTRAINT plans_current_version_fk');
  for (const table of [...AGENCY_TABLES].reverse()) await qi.sequelize.query(`DROP TABLE ${table}`);
}
