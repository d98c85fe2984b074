import type { Transaction } from 'sequelize';
import { queryOne, queryRows } from '../../db/sql.js';
import type { TenantScope } from '../contacts/contact-scope.js';

export type ConversationAgentState = {
  conversationId: string;
  pausedUntil: Date | null;
  pausedReason: string | null;
  releasedAt: Date | null;
  summary: string | null;
  summarizedThroughSeq: number | null;
};

/** Far enough to mean "until a person releases it". */
export const PAUSED_INDEFINITELY = new Date('9999-12-31T00:00:00Z');

const COLUMNS = `conversation_id AS "conversationId", paused_until AS "pausedUntil", paused_reason AS "pausedReason",
  released_at AS "releasedAt", summary, summarized_through_seq::int AS "summarizedThroughSeq"`;

export async function selectConversationState(tx: Transaction, input: { tenantId: string; conversationId: string }): Promise<ConversationAgentState | undefined> {
  return queryOne<ConversationAgentState>(
    tx,
    `SELECT ${COLUMNS} FROM agent_conversation_states WHERE tenant_id = :tenantId AND conversation_id = :conversationId`,
    input,
  );
}

export async function pauseConversation(tx: Transaction, input: TenantScope & { conversationId: string; until: Date; reason: string }): Promise<void> {
  await queryRows(
    tx,
    `INSERT INTO agent_conversation_states (conversation_id, agency_id, tenant_id, paused_until, paused_reason)
     VALUES (:conversationId, :agencyId, :tenantId, :until, :reason)
     ON CONFLICT (conversation_id) DO UPDATE SET paused_until = EXCLUDED.paused_until, paused_reason = EXCLUDED.paused_reason, updated_at = now()`,
    input,
  );
}

/** The agent may talk again; staff messages sent before now no longer count as a takeover. */
export async function releaseConversation(tx: Transaction, input: TenantScope & { conversationId: string }): Promise<void> {
  await queryRows(
    tx,
    `INSERT INTO agent_conversation_states (conversation_id, agency_id, tenant_id, released_at)
     VALUES (:conversationId, :agencyId, :tenantId, now())
     ON CONFLICT (conversation_id) DO UPDATE SET paused_until = NULL, paused_reason = NULL, released_at = now(), updated_at = now()`,
    input,
  );
}

export async function saveSummary(tx: Transaction, input: TenantScope & { conversationId: string; summary: string; throughSeq: number }): Promise<void> {
  await queryRows(
    tx,
    `INSERT INTO agent_conversation_states (conversation_id, agency_id, tenant_id, summary, summarized_through_seq)
     VALUES (:conversationId, :agencyId, :tenantId, :summary, :throughSeq)
     ON CONFLICT (conversation_id) DO UPDATE SET summary = EXCLUDED.summary, summarized_through_seq = EXCLUDED.summarized_through_seq, updated_at = now()`,
    input,
  );
}

export type HistoryMessage = { seq: number; direction: 'inbound' | 'outbound'; source: string; body: string; status: string; at: Date };

/** The conversation up to (and including) message `throughMessageId`, the newest `limit` of them, oldest first. */
export async function conversationHistory(
  tx: Transaction,
  input: { tenantId: string; conversationId: string; throughMessageId: string; limit: number },
): Promise<HistoryMessage[]> {
  const rows = await queryRows<HistoryMessage>(
    tx,
    `SELECT seq::int AS seq, direction, source, coalesce(body, '') AS body, status, created_at AS at FROM messages
     WHERE tenant_id = :tenantId AND conversation_id = :conversationId
       AND seq <= (SELECT seq FROM messages WHERE id = :throughMessageId)
       AND status NOT IN ('denied')
     ORDER BY seq DESC LIMIT :limit`,
    input,
  );
  return rows.reverse();
}

/** Messages between the summary's end and `beforeSeq` (exclusive), oldest first: what the next summary must absorb. */
export async function unsummarizedMessages(
  tx: Transaction,
  input: { tenantId: string; conversationId: string; afterSeq: number; beforeSeq: number; limit: number },
): Promise<HistoryMessage[]> {
  return queryRows<HistoryMessage>(
    tx,
    `SELECT seq::int AS seq, direction, source, coalesce(body, '') AS body, status, created_at AS at FROM messages
     WHERE tenant_id = :tenantId AND conversation_id = :conversationId AND seq > :afterSeq AND seq < :beforeSeq AND status NOT IN ('denied')
     ORDER BY seq LIMIT :limit`,
    input,
  );
}

/** Staff replies (source 'user': a person in the portal or the API with a user session) since `since`. */
export async function lastStaffReplyAt(tx: Transaction, input: { tenantId: string; conversationId: string; since: Date | null }): Promise<Date | null> {
  const row = await queryOne<{ at: Date | null }>(
    tx,
    `SELECT max(created_at) AS at FROM messages WHERE tenant_id = :tenantId AND conversation_id = :conversationId
       AND direction = 'outbound' AND source = 'user' AND (CAST(:since AS timestamptz) IS NULL OR created_at > :since)`,
    input,
  );
  return row?.at ?? null;
}

/** Agent replies since `since` (loop breaker) and the latest one's text (no identical repeat). */
export async function agentRepliesSince(
  tx: Transaction,
  input: { tenantId: string; conversationId: string; since: Date },
): Promise<{ count: number; lastBody: string | null }> {
  const row = await queryOne<{ count: number; lastBody: string | null }>(
    tx,
    `SELECT count(*)::int AS count,
       (SELECT body FROM messages WHERE tenant_id = :tenantId AND conversation_id = :conversationId AND direction = 'outbound' AND source = 'agent'
        ORDER BY seq DESC LIMIT 1) AS "lastBody"
     FROM messages WHERE tenant_id = :tenantId AND conversation_id = :conversationId AND direction = 'outbound' AND source = 'agent' AND created_at > :since`,
    input,
  );
  return row ?? { count: 0, lastBody: null };
}
