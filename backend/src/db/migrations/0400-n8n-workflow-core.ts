import type { MigrationContext } from '../migrator.js';
import { disableTenantRls, enableTenantRls } from '../rls.js';

// What n8n workflows (and later the agent runtime) write through the API: a contact's timeline
// (notes, structured activities), the tenant's AI settings, metered LLM usage and payment links.
// Every table is tenant-scoped under row-level security like the rest.
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  const q = (sql: string) => qi.sequelize.query(sql);
  await q(`CREATE TABLE contact_notes (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    agency_id uuid NOT NULL REFERENCES agencies (id),
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    contact_id uuid NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    body text NOT NULL,
    author_type varchar(16) NOT NULL,
    author_id varchar(200) NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  )`);
  await q('CREATE INDEX contact_notes_contact_idx ON contact_notes (tenant_id, contact_id, created_at DESC, id)');
  await enableTenantRls(qi, 'contact_notes');

  await q(`CREATE TABLE contact_activities (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    agency_id uuid NOT NULL REFERENCES agencies (id),
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    contact_id uuid NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    type varchar(100) NOT NULL,
    data jsonb NOT NULL DEFAULT '{}'::jsonb,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    author_type varchar(16) NOT NULL,
    author_id varchar(200) NOT NULL,
    idempotency_key varchar(200),
    created_at timestamptz NOT NULL DEFAULT now()
  )`);
  await q('CREATE INDEX contact_activities_contact_idx ON contact_activities (tenant_id, contact_id, occurred_at DESC, id)');
  await q('CREATE UNIQUE INDEX contact_activities_idempotency_idx ON contact_activities (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL');
  await enableTenantRls(qi, 'contact_activities');

  await q(`CREATE TABLE ai_settings (
    agency_id uuid NOT NULL REFERENCES agencies (id),
    tenant_id uuid PRIMARY KEY REFERENCES tenants (id),
    model varchar(100),
    instructions text,
    updated_at timestamptz NOT NULL DEFAULT now()
  )`);
  await enableTenantRls(qi, 'ai_settings');

  // One row per metered provider call. Costs in micro-dollars (integers: no float rounding in sums).
  await q(`CREATE TABLE usage_events (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    agency_id uuid NOT NULL REFERENCES agencies (id),
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    kind varchar(32) NOT NULL,
    source varchar(16) NOT NULL,
    model varchar(100),
    input_tokens integer NOT NULL DEFAULT 0,
    output_tokens integer NOT NULL DEFAULT 0,
    estimated_cost_micros bigint NOT NULL DEFAULT 0,
    reference varchar(200),
    actor_type varchar(16),
    actor_id varchar(200),
    created_at timestamptz NOT NULL DEFAULT now()
  )`);
  await q('CREATE INDEX usage_events_tenant_created_idx ON usage_events (tenant_id, created_at DESC)');
  await enableTenantRls(qi, 'usage_events');

  await q(`CREATE TABLE payment_links (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    agency_id uuid NOT NULL REFERENCES agencies (id),
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    contact_id uuid REFERENCES contacts (id) ON DELETE SET NULL,
    provider varchar(32) NOT NULL,
    provider_link_id varchar(100) NOT NULL,
    url text NOT NULL,
    active boolean NOT NULL DEFAULT true,
    amount bigint,
    currency varchar(3),
    description varchar(250),
    price_id varchar(100) NOT NULL,
    quantity integer NOT NULL DEFAULT 1,
    metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
    idempotency_key varchar(200),
    created_by_type varchar(16) NOT NULL,
    created_by_id varchar(200) NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`);
  await q('CREATE UNIQUE INDEX payment_links_idempotency_idx ON payment_links (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL');
  await q('CREATE INDEX payment_links_tenant_created_idx ON payment_links (tenant_id, created_at DESC)');
  await enableTenantRls(qi, 'payment_links');
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  for (const table of ['payment_links', 'usage_events', 'ai_settings', 'contact_activities', 'contact_notes']) {
    await disableTenantRls(qi, table);
    await qi.sequelize.query(`DROP TABLE ${table}`);
  }
}
