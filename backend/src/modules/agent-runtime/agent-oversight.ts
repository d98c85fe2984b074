import type { ScopedDeps } from '../../db/scoped-deps.js';
import { queryOne } from '../../db/sql.js';
import { AppError } from '../../http/errors.js';
import type { Actor } from '../../http/request-context.js';
import { auditOrigin } from '../audit/audit-actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { selectAgent } from '../agents/agent-repository.js';
import { tenantScopeOf } from '../contacts/contact-scope.js';
import { findConversation } from '../messages/conversation-repository.js';
import { PAUSED_INDEFINITELY, pauseConversation, releaseConversation, selectConversationState } from './conversation-state.js';
import { selectTurns } from './turn-repository.js';

/** Staff take a conversation from the agent (for `minutes`, or until released). Audited. */
export async function pauseAgentInConversation(deps: ScopedDeps, input: { actor: Actor; conversationId: string; minutes?: number; reason?: string }) {
  const scope = tenantScopeOf(input.actor);
  return deps.runInScope(scope, async (tx) => {
    if (!(await findConversation(tx, { tenantId: scope.tenantId, conversationId: input.conversationId }))) throw new AppError('NOT_FOUND', 'Conversation not found');
    const until = input.minutes ? new Date(Date.now() + input.minutes * 60_000) : PAUSED_INDEFINITELY;
    await pauseConversation(tx, { ...scope, conversationId: input.conversationId, until, reason: input.reason ?? 'paused by staff' });
    await recordAuditEvent(tx, { ...scope, ...auditOrigin(input.actor), action: 'agent.conversation_paused', target: { type: 'conversation', id: input.conversationId }, after: { until: until.toISOString() } });
    return { conversationId: input.conversationId, agentPaused: true, pausedUntil: until.getTime() === PAUSED_INDEFINITELY.getTime() ? null : until.toISOString() };
  });
}

/** The agent may answer again; earlier staff replies no longer keep it quiet. Audited. */
export async function releaseAgentInConversation(deps: ScopedDeps, input: { actor: Actor; conversationId: string }) {
  const scope = tenantScopeOf(input.actor);
  return deps.runInScope(scope, async (tx) => {
    if (!(await findConversation(tx, { tenantId: scope.tenantId, conversationId: input.conversationId }))) throw new AppError('NOT_FOUND', 'Conversation not found');
    const before = await selectConversationState(tx, { tenantId: scope.tenantId, conversationId: input.conversationId });
    await releaseConversation(tx, { ...scope, conversationId: input.conversationId });
    await recordAuditEvent(tx, {
      ...scope, ...auditOrigin(input.actor), action: 'agent.conversation_released', target: { type: 'conversation', id: input.conversationId },
      before: { pausedReason: before?.pausedReason ?? null },
    });
    return { conversationId: input.conversationId, agentPaused: false, pausedUntil: null };
  });
}

export async function listAgentTurns(deps: ScopedDeps, input: { actor: Actor; agentId: string; conversationId?: string; limit: number }) {
  const scope = tenantScopeOf(input.actor);
  return deps.runInScope(scope, async (tx) => {
    if (!(await selectAgent(tx, { tenantId: scope.tenantId, agentId: input.agentId }))) throw new AppError('NOT_FOUND', 'Agent not found');
    return selectTurns(tx, { tenantId: scope.tenantId, agentId: input.agentId, conversationId: input.conversationId, limit: input.limit });
  });
}

/** Tokens and estimated cost of an agent's model calls (optionally one conversation's), for billing. */
export async function agentUsage(deps: ScopedDeps, input: { actor: Actor; agentId: string; conversationId?: string }) {
  const scope = tenantScopeOf(input.actor);
  return deps.runInScope(scope, async (tx) => {
    if (!(await selectAgent(tx, { tenantId: scope.tenantId, agentId: input.agentId }))) throw new AppError('NOT_FOUND', 'Agent not found');
    const row = await queryOne<{ calls: number; inputTokens: number; outputTokens: number; micros: number; conversations: number }>(
      tx,
      `SELECT count(*)::int AS calls, coalesce(sum(input_tokens), 0)::int AS "inputTokens", coalesce(sum(output_tokens), 0)::int AS "outputTokens",
         coalesce(sum(estimated_cost_micros), 0)::bigint AS micros, count(DISTINCT conversation_id)::int AS conversations
       FROM usage_events WHERE tenant_id = :tenantId AND agent_id = :agentId AND (CAST(:conversationId AS uuid) IS NULL OR conversation_id = :conversationId)`,
      { tenantId: scope.tenantId, agentId: input.agentId, conversationId: input.conversationId ?? null },
    );
    return {
      agentId: input.agentId, conversationId: input.conversationId ?? null, llmCalls: row!.calls, conversations: row!.conversations,
      inputTokens: row!.inputTokens, outputTokens: row!.outputTokens, estimatedCostUsd: Number(row!.micros) / 1_000_000,
    };
  });
}
