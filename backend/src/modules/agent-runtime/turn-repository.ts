import type { Transaction } from 'sequelize';
import { queryOne, queryRows } from '../../db/sql.js';
import type { Channel } from '../../ports/messaging.js';
import type { TenantScope } from '../contacts/contact-scope.js';
import type { AgentTurn, ToolCallRecord, TurnStatus } from './turn-types.js';

const COLUMNS = `id, agency_id AS "agencyId", tenant_id AS "tenantId", agent_id AS "agentId", conversation_id AS "conversationId",
  contact_id AS "contactId", channel, first_message_id AS "firstMessageId", last_message_id AS "lastMessageId",
  inbound_count AS "inboundCount", status, outcome, due_at AS "dueAt", attempts, reply_message_id AS "replyMessageId",
  reply_text AS "replyText", tool_calls AS "toolCalls", model, input_tokens AS "inputTokens", output_tokens AS "outputTokens",
  estimated_cost_micros::int AS "estimatedCostMicros", llm_ms AS "llmMs", error, created_at AS "createdAt", finished_at AS "finishedAt"`;

/** True when a turn already covers this message (the event was delivered again, or a later message extended it). */
export async function messageHasTurn(tx: Transaction, input: { conversationId: string; messageId: string }): Promise<boolean> {
  const row = await queryOne(
    tx,
    `SELECT 1 FROM agent_turns t JOIN messages last ON last.id = t.last_message_id
     WHERE t.conversation_id = :conversationId AND last.seq >= (SELECT seq FROM messages WHERE id = :messageId) LIMIT 1`,
    input,
  );
  return row !== undefined;
}

/**
 * Quick-fire batching: a message joins the conversation's waiting turn (which then waits a little longer,
 * never past its deadline); otherwise it opens a new turn. Returns the turn and whether it was new.
 */
export async function openOrExtendTurn(
  tx: Transaction,
  input: TenantScope & { agentId: string; conversationId: string; contactId: string; channel: Channel; messageId: string; batchWindowMs: number; maxBatchWaitMs: number },
): Promise<{ turnId: string; extended: boolean }> {
  const extended = await queryOne<{ id: string }>(
    tx,
    `UPDATE agent_turns SET last_message_id = :messageId, inbound_count = inbound_count + 1,
       due_at = least(now() + make_interval(secs => :windowSeconds), deadline_at)
     WHERE conversation_id = :conversationId AND status = 'waiting' RETURNING id`,
    { ...input, windowSeconds: input.batchWindowMs / 1000 },
  );
  if (extended) return { turnId: extended.id, extended: true };
  const created = await queryOne<{ id: string }>(
    tx,
    `INSERT INTO agent_turns (agency_id, tenant_id, agent_id, conversation_id, contact_id, channel, first_message_id, last_message_id, due_at, deadline_at)
     VALUES (:agencyId, :tenantId, :agentId, :conversationId, :contactId, :channel, :messageId, :messageId,
       now() + make_interval(secs => :windowSeconds), now() + make_interval(secs => :maxWaitSeconds))
     RETURNING id`,
    { ...input, windowSeconds: input.batchWindowMs / 1000, maxWaitSeconds: Math.max(input.batchWindowMs, input.maxBatchWaitMs) / 1000 },
  );
  return { turnId: created!.id, extended: false };
}

const MAX_CRASHES = 5;

/**
 * Claims due turns of one agency: waiting ones whose batch window closed, and running ones whose lease ran
 * out (their worker died). Never two turns of one conversation at once: a conversation with a turn in
 * flight waits, so replies stay in order.
 */
export async function claimDueTurns(tx: Transaction, input: { agencyId: string; limit: number; leaseSeconds: number }): Promise<AgentTurn[]> {
  // A turn that crashed its worker again and again is given up (visible as failed/crashed), not retried forever.
  await queryRows(
    tx,
    `UPDATE agent_turns SET status = 'failed', outcome = 'crashed', finished_at = now(), lease_until = NULL
     WHERE agency_id = :agencyId AND status = 'running' AND lease_until < now() AND attempts >= :maxCrashes`,
    { ...input, maxCrashes: MAX_CRASHES },
  );
  return queryRows<AgentTurn>(
    tx,
    `UPDATE agent_turns SET status = 'running', attempts = attempts + 1, lease_until = now() + make_interval(secs => :leaseSeconds)
     WHERE id IN (
       SELECT t.id FROM agent_turns t
       WHERE t.agency_id = :agencyId
         AND ((t.status = 'waiting' AND t.due_at <= now()) OR (t.status = 'running' AND t.lease_until < now()))
         AND NOT EXISTS (SELECT 1 FROM agent_turns o WHERE o.conversation_id = t.conversation_id AND o.id <> t.id
                           AND o.status = 'running' AND o.lease_until >= now())
       ORDER BY t.due_at LIMIT :limit FOR UPDATE SKIP LOCKED)
     RETURNING ${COLUMNS}`,
    input,
  );
}

export type TurnResult = {
  status: Extract<TurnStatus, 'answered' | 'skipped' | 'failed'>;
  outcome: string;
  replyMessageId?: string | null;
  replyText?: string | null;
  toolCalls?: ToolCallRecord[];
  model?: string | null;
  usage?: { inputTokens: number; outputTokens: number; estimatedCostMicros: number; llmMs: number };
  error?: string | null;
};

export async function finishTurn(tx: Transaction, input: { tenantId: string; turnId: string; result: TurnResult }): Promise<void> {
  const { result } = input;
  await queryRows(
    tx,
    `UPDATE agent_turns SET status = :status, outcome = :outcome, reply_message_id = :replyMessageId, reply_text = :replyText,
       tool_calls = :toolCalls, model = :model, input_tokens = :inputTokens, output_tokens = :outputTokens,
       estimated_cost_micros = :cost, llm_ms = :llmMs, error = :error, lease_until = NULL, finished_at = now()
     WHERE tenant_id = :tenantId AND id = :turnId`,
    {
      tenantId: input.tenantId, turnId: input.turnId, status: result.status, outcome: result.outcome,
      replyMessageId: result.replyMessageId ?? null, replyText: result.replyText ?? null, toolCalls: JSON.stringify(result.toolCalls ?? []),
      model: result.model ?? null, inputTokens: result.usage?.inputTokens ?? 0, outputTokens: result.usage?.outputTokens ?? 0,
      cost: result.usage?.estimatedCostMicros ?? 0, llmMs: result.usage?.llmMs ?? 0, error: result.error?.slice(0, 1000) ?? null,
    },
  );
}

/** A transient failure (LLM 429/timeout): the turn waits and is tried again. */
export async function postponeTurn(tx: Transaction, input: { tenantId: string; turnId: string; delayMs: number; error: string }): Promise<void> {
  await queryRows(
    tx,
    `UPDATE agent_turns SET status = 'waiting', due_at = now() + make_interval(secs => :delaySeconds), lease_until = NULL, error = :error
     WHERE tenant_id = :tenantId AND id = :turnId`,
    { ...input, delaySeconds: input.delayMs / 1000, error: input.error.slice(0, 1000) },
  );
}

export async function selectTurns(
  tx: Transaction,
  input: { tenantId: string; agentId?: string; conversationId?: string; limit: number },
): Promise<AgentTurn[]> {
  return queryRows<AgentTurn>(
    tx,
    `SELECT ${COLUMNS} FROM agent_turns WHERE tenant_id = :tenantId
       AND (CAST(:agentId AS uuid) IS NULL OR agent_id = :agentId) AND (CAST(:conversationId AS uuid) IS NULL OR conversation_id = :conversationId)
     ORDER BY created_at DESC LIMIT :limit`,
    { ...input, agentId: input.agentId ?? null, conversationId: input.conversationId ?? null },
  );
}

/** Tool results of the conversation's recent turns (newest last), for the next prompt. */
export async function recentToolResults(tx: Transaction, input: { conversationId: string; limit: number }): Promise<ToolCallRecord[]> {
  const rows = await queryRows<{ toolCalls: ToolCallRecord[] }>(
    tx,
    `SELECT tool_calls AS "toolCalls" FROM agent_turns WHERE conversation_id = :conversationId AND status = 'answered'
       AND jsonb_array_length(tool_calls) > 0 ORDER BY created_at DESC LIMIT :limit`,
    input,
  );
  return rows.reverse().flatMap((row) => row.toolCalls).slice(-input.limit);
}
