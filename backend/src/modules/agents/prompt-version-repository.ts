import type { Transaction } from 'sequelize';
import { queryOne, queryRows } from '../../db/sql.js';
import type { TenantScope } from '../contacts/contact-scope.js';
import type { AgentFacts, PromptStatus, PromptVersion } from './agent-types.js';

const COLUMNS = `id, agent_id AS "agentId", version, status, facts, instructions, note, created_by AS "createdBy",
  created_at AS "createdAt", published_at AS "publishedAt"`;

/** A new draft, numbered after the agent's last version (the agent row is locked so numbers never collide). */
export async function insertDraft(
  tx: Transaction,
  input: TenantScope & { agentId: string; facts: AgentFacts; instructions: string; note: string | null; createdBy: string | null },
): Promise<PromptVersion> {
  await queryRows(tx, 'SELECT id FROM agents WHERE tenant_id = :tenantId AND id = :agentId FOR UPDATE', input);
  const row = await queryOne<PromptVersion>(
    tx,
    `INSERT INTO agent_prompt_versions (agency_id, tenant_id, agent_id, version, facts, instructions, note, created_by)
     VALUES (:agencyId, :tenantId, :agentId,
       (SELECT coalesce(max(version), 0) + 1 FROM agent_prompt_versions WHERE agent_id = :agentId), :facts, :instructions, :note, :createdBy)
     RETURNING ${COLUMNS}`,
    { ...input, facts: JSON.stringify(input.facts) },
  );
  return row!;
}

export async function selectVersions(tx: Transaction, input: { tenantId: string; agentId: string }): Promise<PromptVersion[]> {
  return queryRows<PromptVersion>(
    tx,
    `SELECT ${COLUMNS} FROM agent_prompt_versions WHERE tenant_id = :tenantId AND agent_id = :agentId ORDER BY version DESC`,
    input,
  );
}

export async function selectVersion(tx: Transaction, input: { tenantId: string; agentId: string; version: number }): Promise<PromptVersion | undefined> {
  return queryOne<PromptVersion>(
    tx,
    `SELECT ${COLUMNS} FROM agent_prompt_versions WHERE tenant_id = :tenantId AND agent_id = :agentId AND version = :version`,
    input,
  );
}

export async function selectActiveVersion(tx: Transaction, input: { tenantId: string; agentId: string }): Promise<PromptVersion | undefined> {
  return queryOne<PromptVersion>(
    tx,
    `SELECT ${COLUMNS} FROM agent_prompt_versions WHERE tenant_id = :tenantId AND agent_id = :agentId AND status = 'active'`,
    input,
  );
}

/** Makes `version` the active one; the previously active version is archived (same transaction). */
export async function activateVersion(tx: Transaction, input: { tenantId: string; agentId: string; version: number }): Promise<PromptVersion | undefined> {
  await queryRows(tx, 'SELECT id FROM agents WHERE tenant_id = :tenantId AND id = :agentId FOR UPDATE', input);
  await queryRows(
    tx,
    `UPDATE agent_prompt_versions SET status = 'archived' WHERE tenant_id = :tenantId AND agent_id = :agentId AND status = 'active' AND version <> :version`,
    input,
  );
  return queryOne<PromptVersion>(
    tx,
    `UPDATE agent_prompt_versions SET status = 'active', published_at = now()
     WHERE tenant_id = :tenantId AND agent_id = :agentId AND version = :version RETURNING ${COLUMNS}`,
    input,
  );
}

export type { PromptStatus };
