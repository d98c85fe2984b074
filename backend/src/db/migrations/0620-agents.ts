import type { MigrationContext } from '../migrator.js';
import { currentScopeSql, disableTenantRls, enableTenantRls } from '../rls.js';

const TENANT_TABLES = ['agents', 'agent_prompt_versions', 'agent_turns', 'agent_conversation_states'] as const;

// AI agents: who answers a tenant's leads (agents), what they know and how they speak (prompt versions,
// one active at a time), and the runtime's ledger: one row per inbound turn (agent_turns; the unique
// trigger makes "never two replies to one turn" a database rule) and per-conversation state (human
// takeover, rolling summary). The agency's base template sits under every tenant's prompt.
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  const sql = (text: string) => qi.sequelize.query(text);
  await sql(`CREATE TABLE agency_agent_templates (
    agency_id uuid PRIMARY KEY REFERENCES agencies (id),
    template text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
  )`);
  // Agency-level, read by the runtime at tenant scope too: visible to anyone scoped to the agency.
  const agency = currentScopeSql('agencyId');
  await sql('ALTER TABLE agency_agent_templates ENABLE ROW LEVEL SECURITY');
  await sql('ALTER TABLE agency_agent_templates FORCE ROW LEVEL SECURITY');
  await sql(`CREATE POLICY agency_agent_templates_agency_isolation ON agency_agent_templates USING (agency_id = ${agency}) WITH CHECK (agency_id = ${agency})`);
  await sql(`CREATE TABLE agents (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    agency_id uuid NOT NULL REFERENCES agencies (id),
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    name varchar(100) NOT NULL,
    purpose varchar(500) NOT NULL DEFAULT '',
    channels varchar(16)[] NOT NULL DEFAULT '{}',
    enabled boolean NOT NULL DEFAULT true,
    settings jsonb NOT NULL DEFAULT '{}',
    web_key varchar(64) NOT NULL UNIQUE,
    last_error varchar(500),
    last_error_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`);
  await sql('CREATE INDEX agents_tenant_idx ON agents (tenant_id)');
  await sql(`CREATE TABLE agent_prompt_versions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    agency_id uuid NOT NULL REFERENCES agencies (id),
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    agent_id uuid NOT NULL REFERENCES agents (id),
    version integer NOT NULL,
    status varchar(16) NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'archived')),
    facts jsonb NOT NULL DEFAULT '{}',
    instructions text NOT NULL DEFAULT '',
    note varchar(500),
    created_by varchar(200),
    created_at timestamptz NOT NULL DEFAULT now(),
    published_at timestamptz,
    UNIQUE (agent_id, version)
  )`);
  // At most one active version per agent, enforced where concurrent publishes meet.
  await sql("CREATE UNIQUE INDEX agent_prompt_versions_one_active ON agent_prompt_versions (agent_id) WHERE status = 'active'");
  await sql(`CREATE TABLE agent_turns (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    agency_id uuid NOT NULL REFERENCES agencies (id),
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    agent_id uuid NOT NULL REFERENCES agents (id),
    conversation_id uuid NOT NULL REFERENCES conversations (id),
    contact_id uuid NOT NULL REFERENCES contacts (id),
    channel varchar(16) NOT NULL,
    first_message_id uuid NOT NULL REFERENCES messages (id),
    last_message_id uuid NOT NULL REFERENCES messages (id),
    inbound_count integer NOT NULL DEFAULT 1,
    status varchar(16) NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'running', 'answered', 'skipped', 'failed')),
    outcome varchar(64),
    due_at timestamptz NOT NULL,
    deadline_at timestamptz NOT NULL,
    lease_until timestamptz,
    attempts integer NOT NULL DEFAULT 0,
    reply_message_id uuid REFERENCES messages (id),
    reply_text text,
    tool_calls jsonb NOT NULL DEFAULT '[]',
    model varchar(100),
    input_tokens integer NOT NULL DEFAULT 0,
    output_tokens integer NOT NULL DEFAULT 0,
    estimated_cost_micros bigint NOT NULL DEFAULT 0,
    llm_ms integer NOT NULL DEFAULT 0,
    error varchar(1000),
    created_at timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    UNIQUE (first_message_id)
  )`);
  // Quick-fire batching: one open (waiting) turn per conversation collects the messages that follow.
  await sql("CREATE UNIQUE INDEX agent_turns_one_waiting ON agent_turns (conversation_id) WHERE status = 'waiting'");
  await sql("CREATE INDEX agent_turns_due_idx ON agent_turns (agency_id, due_at) WHERE status IN ('waiting', 'running')");
  await sql('CREATE INDEX agent_turns_conversation_idx ON agent_turns (conversation_id, created_at DESC)');
  await sql(`CREATE TABLE agent_conversation_states (
    conversation_id uuid PRIMARY KEY REFERENCES conversations (id),
    agency_id uuid NOT NULL REFERENCES agencies (id),
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    paused_until timestamptz,
    paused_reason varchar(200),
    released_at timestamptz,
    summary text,
    summarized_through_seq bigint,
    updated_at timestamptz NOT NULL DEFAULT now()
  )`);
  for (const table of TENANT_TABLES) await enableTenantRls(qi, table);
  // The public web chat finds its agent by the widget key alone (set for one statement, like provider_numbers).
  await sql(`CREATE POLICY agents_web_key_lookup ON agents FOR SELECT
    USING (web_key = nullif(current_setting('app.agent_web_key', true), ''))`);
  // Metering per agent and conversation (issue: usage per tenant, agent and conversation).
  await sql('ALTER TABLE usage_events ADD COLUMN agent_id uuid REFERENCES agents (id), ADD COLUMN conversation_id uuid REFERENCES conversations (id)');
  await sql('CREATE INDEX usage_events_agent_idx ON usage_events (agent_id, created_at DESC) WHERE agent_id IS NOT NULL');
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  await qi.sequelize.query('ALTER TABLE usage_events DROP COLUMN conversation_id, DROP COLUMN agent_id');
  await qi.sequelize.query('DROP POLICY IF EXISTS agents_web_key_lookup ON agents');
  for (const table of [...TENANT_TABLES].reverse()) {
    await disableTenantRls(qi, table);
    await qi.sequelize.query(`DROP TABLE ${table}`);
  }
  await qi.sequelize.query('DROP TABLE agency_agent_templates');
}
