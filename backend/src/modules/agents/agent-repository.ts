import { randomBytes } from 'node:crypto';
import type { Transaction } from 'sequelize';
import { queryOne, queryRows } from '../../db/sql.js';
import type { Channel } from '../../ports/messaging.js';
import type { TenantScope } from '../contacts/contact-scope.js';
import { DEFAULT_AGENT_SETTINGS, type Agent, type AgentSettings } from './agent-types.js';

type AgentRow = Omit<Agent, 'settings'> & { settings: Partial<AgentSettings> };

const COLUMNS = `id, agency_id AS "agencyId", tenant_id AS "tenantId", name, purpose, channels, enabled, settings,
  web_key AS "webKey", last_error AS "lastError", last_error_at AS "lastErrorAt", created_at AS "createdAt", updated_at AS "updatedAt"`;

const toAgent = (row: AgentRow): Agent => ({ ...row, settings: { ...DEFAULT_AGENT_SETTINGS, ...row.settings } });

export type AgentFields = { name: string; purpose: string; channels: Channel[]; enabled: boolean; settings: Partial<AgentSettings> };

export async function insertAgent(tx: Transaction, input: TenantScope & { fields: AgentFields }): Promise<Agent> {
  const { fields } = input;
  const row = await queryOne<AgentRow>(
    tx,
    `INSERT INTO agents (agency_id, tenant_id, name, purpose, channels, enabled, settings, web_key)
     VALUES (:agencyId, :tenantId, :name, :purpose, ARRAY[:channels]::varchar[], :enabled, :settings, :webKey) RETURNING ${COLUMNS}`,
    {
      ...input, ...fields, channels: fields.channels.length ? fields.channels : [''], settings: JSON.stringify(fields.settings),
      webKey: `wk_${randomBytes(18).toString('base64url')}`,
    },
  );
  // ARRAY[''] stands in for an empty list (Sequelize cannot bind an empty array).
  if (!fields.channels.length) await queryRows(tx, "UPDATE agents SET channels = '{}' WHERE id = :id", { id: row!.id });
  return toAgent({ ...row!, channels: fields.channels });
}

export async function updateAgent(tx: Transaction, input: { tenantId: string; agentId: string; fields: Partial<AgentFields> }): Promise<Agent | undefined> {
  const current = await selectAgent(tx, input);
  if (!current) return undefined;
  const next = { ...current, ...input.fields, settings: { ...current.settings, ...input.fields.settings } };
  const row = await queryOne<AgentRow>(
    tx,
    `UPDATE agents SET name = :name, purpose = :purpose, channels = string_to_array(:channels, ',')::varchar[], enabled = :enabled,
       settings = :settings, updated_at = now()
     WHERE tenant_id = :tenantId AND id = :agentId RETURNING ${COLUMNS}`,
    { ...input, name: next.name, purpose: next.purpose, channels: next.channels.join(','), enabled: next.enabled, settings: JSON.stringify(next.settings) },
  );
  return row && toAgent(row);
}

export async function selectAgent(tx: Transaction, input: { tenantId: string; agentId: string }): Promise<Agent | undefined> {
  const row = await queryOne<AgentRow>(tx, `SELECT ${COLUMNS} FROM agents WHERE tenant_id = :tenantId AND id = :agentId`, input);
  return row && toAgent(row);
}

export async function selectAgents(tx: Transaction, input: { tenantId: string }): Promise<Agent[]> {
  const rows = await queryRows<AgentRow>(tx, `SELECT ${COLUMNS} FROM agents WHERE tenant_id = :tenantId ORDER BY created_at`, input);
  return rows.map(toAgent);
}

/** The enabled agent that answers on a channel (the oldest one when several claim it). */
export async function selectAgentForChannel(tx: Transaction, input: { tenantId: string; channel: Channel }): Promise<Agent | undefined> {
  const row = await queryOne<AgentRow>(
    tx,
    `SELECT ${COLUMNS} FROM agents WHERE tenant_id = :tenantId AND enabled AND :channel = ANY (channels) ORDER BY created_at LIMIT 1`,
    input,
  );
  return row && toAgent(row);
}

export async function recordAgentError(tx: Transaction, input: { tenantId: string; agentId: string; error: string | null }): Promise<void> {
  await queryRows(
    tx,
    `UPDATE agents SET last_error = :error, last_error_at = CASE WHEN CAST(:error AS text) IS NULL THEN last_error_at ELSE now() END
     WHERE tenant_id = :tenantId AND id = :agentId`,
    { ...input, error: input.error?.slice(0, 500) ?? null },
  );
}

/** The web chat's lookup: a widget key names one agent (policy agents_web_key_lookup; no scope needed). */
export async function findAgentByWebKey(tx: Transaction, webKey: string): Promise<Agent | undefined> {
  await queryRows(tx, `SELECT set_config('app.agent_web_key', :webKey, true)`, { webKey });
  const row = await queryOne<AgentRow>(tx, `SELECT ${COLUMNS} FROM agents WHERE web_key = :webKey`, { webKey });
  await queryRows(tx, `SELECT set_config('app.agent_web_key', '', true)`);
  return row && toAgent(row);
}
