import type { MigrationContext } from '../migrator.js';
import { disableTenantRls, enableTenantRls } from '../rls.js';

// 1. A reply is allowed on the evidence of the contact's inbound call or message: stored with the decision.
// 2. automation_runs: an n8n execution says which call/contact it works on when it starts, so that
//    3. automation_failures (what n8n's error workflow reports) can be shown on that call and counted.
//    A failure before the run was recorded has no tenant: it is an agency-level row.
export async function up({ queryInterface: qi }: MigrationContext): Promise<void> {
  const sql = (text: string) => qi.sequelize.query(text);
  await sql('ALTER TABLE messages ADD COLUMN policy_evidence jsonb');
  await sql(`CREATE INDEX messages_contact_inbound_idx ON messages (contact_id, created_at DESC) WHERE direction = 'inbound'`);
  await sql(`CREATE INDEX call_logs_inbound_from_idx ON call_logs (tenant_id, from_number, created_at DESC) WHERE direction = 'inbound'`);
  await sql(`CREATE TABLE automation_runs (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    agency_id uuid NOT NULL REFERENCES agencies (id),
    tenant_id uuid NOT NULL REFERENCES tenants (id),
    workflow_id varchar(64) NOT NULL,
    workflow_name varchar(200),
    execution_id varchar(64) NOT NULL,
    event_id varchar(100),
    call_id uuid,
    contact_id uuid,
    message_id uuid,
    started_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (agency_id, workflow_id, execution_id)
  )`);
  await sql('CREATE INDEX automation_runs_call_idx ON automation_runs (tenant_id, call_id) WHERE call_id IS NOT NULL');
  await enableTenantRls(qi, 'automation_runs');
  await sql(`CREATE TABLE automation_failures (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    agency_id uuid NOT NULL REFERENCES agencies (id),
    tenant_id uuid REFERENCES tenants (id),
    workflow_id varchar(64) NOT NULL,
    workflow_name varchar(200),
    execution_id varchar(64),
    execution_url varchar(1000),
    node varchar(200),
    error_message varchar(2000) NOT NULL,
    call_id uuid,
    contact_id uuid,
    message_id uuid,
    occurred_at timestamptz NOT NULL DEFAULT now()
  )`);
  await sql(`CREATE UNIQUE INDEX automation_failures_execution_idx ON automation_failures (agency_id, workflow_id, execution_id)
    WHERE execution_id IS NOT NULL`);
  await sql('CREATE INDEX automation_failures_tenant_idx ON automation_failures (tenant_id, occurred_at DESC)');
  await sql('CREATE INDEX automation_failures_call_idx ON automation_failures (tenant_id, call_id) WHERE call_id IS NOT NULL');
  await enableTenantRls(qi, 'automation_failures');
}

export async function down({ queryInterface: qi }: MigrationContext): Promise<void> {
  const sql = (text: string) => qi.sequelize.query(text);
  await disableTenantRls(qi, 'automation_failures');
  await sql('DROP TABLE automation_failures');
  await disableTenantRls(qi, 'automation_runs');
  await sql('DROP TABLE automation_runs');
  await sql('DROP INDEX call_logs_inbound_from_idx');
  await sql('DROP INDEX messages_contact_inbound_idx');
  await sql('ALTER TABLE messages DROP COLUMN policy_evidence');
}
