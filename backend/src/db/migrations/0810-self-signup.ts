import type { MigrationContext } from '../migrator.js';
import { currentScopeSql } from '../rls.js';

const TABLES = ['self_signup_plans', 'signup_requests'] as const;

// Self sign-up (modules/self-signup). agency_billing_settings.self_signup_enabled (0780) turns it on.
// - self_signup_plans: which of the agency's plans the public /signup page offers, in order.
// - signup_requests: a visitor's sign-up waiting for its e-mail to be verified. Only the SHA-256 of the mailed
//   token and the argon2 hash of the chosen password are stored; nothing else (tenant, user) exists until the
//   link is opened. completed_at/tenant_id record the one use. Both tables are agency scope only: the public
//   routes run at the agency's scope (the agency id is in the page's link and in the mailed link).
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  const sql = (text: string) => qi.sequelize.query(text);
  await sql(`CREATE TABLE self_signup_plans (
    agency_id uuid NOT NULL REFERENCES agencies (id),
    plan_id uuid NOT NULL REFERENCES plans (id),
    position int NOT NULL DEFAULT 0,
    PRIMARY KEY (agency_id, plan_id)
  )`);
  await sql(`CREATE TABLE signup_requests (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    agency_id uuid NOT NULL REFERENCES agencies (id),
    email varchar(320) NOT NULL,
    name varchar(200) NOT NULL,
    business_name varchar(200) NOT NULL,
    time_zone varchar(64) NOT NULL,
    password_hash text NOT NULL,
    plan_id uuid NOT NULL REFERENCES plans (id),
    interval varchar(5) NOT NULL CHECK (interval IN ('month', 'year')),
    token_hash char(64) NOT NULL UNIQUE,
    expires_at timestamptz NOT NULL,
    completed_at timestamptz,
    tenant_id uuid REFERENCES tenants (id),
    requested_ip varchar(64),
    created_at timestamptz NOT NULL DEFAULT now()
  )`);
  await sql('CREATE INDEX signup_requests_email_idx ON signup_requests (agency_id, lower(email)) WHERE completed_at IS NULL');
  const agency = currentScopeSql('agencyId');
  const tenant = currentScopeSql('tenantId');
  for (const table of TABLES) {
    await sql(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
    await sql(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
    await sql(`CREATE POLICY ${table}_agency_only ON ${table} USING (agency_id = ${agency} AND ${tenant} IS NULL)
      WITH CHECK (agency_id = ${agency} AND ${tenant} IS NULL)`);
  }
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  for (const table of [...TABLES].reverse()) await qi.sequelize.query(`DROP TABLE ${table}`);
}
