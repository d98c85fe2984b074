import type { Transaction } from 'sequelize';
import type { ScopedDeps } from '../../db/scoped-deps.js';
import { AppError } from '../../http/errors.js';
import type { Actor } from '../../http/request-context.js';
import { ensureModelReady } from '../ai-provider/ensure-model-ready.js';
import type { ProviderSettingsDeps } from '../ai-provider/manage-provider-settings.js';
import { auditOrigin } from '../audit/audit-actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { tenantScopeOf, type TenantScope } from '../contacts/contact-scope.js';
import { assertEntitled } from '../entitlements/check-entitlement.js';
import { insertAgent, selectAgent, selectAgents, updateAgent, type AgentFields } from './agent-repository.js';
import type { Agent } from './agent-types.js';
import { selectActiveVersion } from './prompt-version-repository.js';

export type AgentView = Agent & { activeVersion: number | null };

export async function auditAgentChange(
  tx: Transaction,
  input: { scope: TenantScope; actor: Actor; action: string; agentId: string; before?: Record<string, unknown>; after?: Record<string, unknown> },
): Promise<void> {
  await recordAuditEvent(tx, {
    ...input.scope, ...auditOrigin(input.actor), action: input.action, target: { type: 'agent', id: input.agentId }, before: input.before, after: input.after,
  });
}

async function withActiveVersion(tx: Transaction, agent: Agent): Promise<AgentView> {
  const active = await selectActiveVersion(tx, { tenantId: agent.tenantId, agentId: agent.id });
  return { ...agent, activeVersion: active?.version ?? null };
}

/**
 * The plan's say (402): one more switched-on agent within its count (the check locks the tenant's
 * subscription row, so racing creates take the last slot once), and web chat only if the plan has it.
 */
async function assertAgentAllowed(tx: Transaction, scope: TenantScope, fields: Partial<AgentFields>, current?: Agent): Promise<void> {
  if (fields.enabled && !current?.enabled) await assertEntitled(tx, scope, { kind: 'agent.create' });
  if (fields.channels?.includes('web') && !current?.channels.includes('web')) await assertEntitled(tx, scope, { kind: 'channel.enable', channel: 'web_chat' });
}

/** What switching an agent on needs: a model that answers (see ensureModelReady). */
export type AgentDeps = ProviderSettingsDeps;

export async function createAgent(deps: AgentDeps, input: { actor: Actor; fields: AgentFields }): Promise<AgentView> {
  const scope = tenantScopeOf(input.actor);
  if (input.fields.enabled) await ensureModelReady(deps, scope);
  return deps.runInScope(scope, async (tx) => {
    await assertAgentAllowed(tx, scope, input.fields);
    const agent = await insertAgent(tx, { ...scope, fields: input.fields });
    await auditAgentChange(tx, { scope, actor: input.actor, action: 'agent.created', agentId: agent.id, after: { ...input.fields } });
    return { ...agent, activeVersion: null };
  });
}

export async function editAgent(deps: AgentDeps, input: { actor: Actor; agentId: string; fields: Partial<AgentFields> }): Promise<AgentView> {
  const scope = tenantScopeOf(input.actor);
  if (input.fields.enabled) {
    // Asked outside the write: the model may take seconds to answer.
    const current = await deps.runInScope(scope, (tx) => selectAgent(tx, { tenantId: scope.tenantId, agentId: input.agentId }));
    if (current && !current.enabled) await ensureModelReady(deps, scope);
  }
  return deps.runInScope(scope, async (tx) => {
    const current = await selectAgent(tx, { tenantId: scope.tenantId, agentId: input.agentId });
    if (current) await assertAgentAllowed(tx, scope, input.fields, current);
    const agent = await updateAgent(tx, { tenantId: scope.tenantId, agentId: input.agentId, fields: input.fields });
    if (!agent) throw new AppError('NOT_FOUND', 'Agent not found');
    await auditAgentChange(tx, { scope, actor: input.actor, action: 'agent.updated', agentId: agent.id, after: { ...input.fields } });
    return withActiveVersion(tx, agent);
  });
}

export async function listAgents(deps: ScopedDeps, input: { actor: Actor }): Promise<AgentView[]> {
  const scope = tenantScopeOf(input.actor);
  return deps.runInScope(scope, async (tx) => {
    const agents = await selectAgents(tx, { tenantId: scope.tenantId });
    return Promise.all(agents.map((agent) => withActiveVersion(tx, agent)));
  });
}

export async function getAgent(deps: ScopedDeps, input: { actor: Actor; agentId: string }): Promise<AgentView> {
  const scope = tenantScopeOf(input.actor);
  return deps.runInScope(scope, async (tx) => {
    const agent = await selectAgent(tx, { tenantId: scope.tenantId, agentId: input.agentId });
    if (!agent) throw new AppError('NOT_FOUND', 'Agent not found');
    return withActiveVersion(tx, agent);
  });
}
