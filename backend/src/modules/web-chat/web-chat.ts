import { randomUUID } from 'node:crypto';
import { queryOne, queryRows } from '../../db/sql.js';
import { AppError } from '../../http/errors.js';
import { findAgentByWebKey } from '../agents/agent-repository.js';
import { findConversationOf } from '../messages/conversation-repository.js';
import type { MessagingDeps } from '../messages/messaging-deps.js';
import { receiveInbound } from '../messages/receive-inbound.js';
import { issueSessionToken, type ChatSession } from './chat-session-token.js';

export type WebChatDeps = MessagingDeps & { encryptionKey: Buffer };

export type ChatLine = { id: string; seq: number; from: 'visitor' | 'business'; text: string; at: string };
/** The agent's last turn failed: the widget stops "typing". Staff of the tenant see why; a visitor a neutral line. */
export type ChatFailure = { at: string; reason: string | null; message: string };

export const VISITOR_FAILURE_MESSAGE = "Sorry, we can't answer right now. Someone from the team will get back to you soon.";

/** A visitor opens the widget: a contact for them in the agent's tenant and a signed session token. */
export async function startChatSession(deps: WebChatDeps, input: { webKey: string; name?: string }) {
  const agent = await deps.runInScope({}, (tx) => findAgentByWebKey(tx, input.webKey));
  if (!agent?.enabled || !agent.channels.includes('web')) throw new AppError('NOT_FOUND', 'This chat is not available');
  const scope = { agencyId: agent.agencyId, tenantId: agent.tenantId };
  const contact = await deps.runInScope(scope, async (tx) => queryOne<{ id: string }>(
    tx,
    `INSERT INTO contacts (agency_id, tenant_id, name, notes) VALUES (:agencyId, :tenantId, :name, 'Started a web chat') RETURNING id`,
    { ...scope, name: input.name ?? null },
  ));
  const session = { ...scope, agentId: agent.id, contactId: contact!.id };
  return { sessionToken: issueSessionToken(deps.encryptionKey, session), contactId: contact!.id, agentName: agent.name };
}

/** The visitor's message enters like any channel's inbound (consent keywords, message.received -> the agent). */
export async function postVisitorMessage(deps: WebChatDeps, session: ChatSession, input: { text: string; clientMessageId?: string }): Promise<ChatLine> {
  const outcome = await receiveInbound(deps, {
    agencyId: session.agencyId, tenantId: session.tenantId, channel: 'web', from: session.contactId, to: session.agentId,
    body: input.text, provider: 'web_chat',
    // The widget's own id makes a retried POST (flaky mobile network) one message, not two.
    providerMessageId: `${session.contactId}:${input.clientMessageId ?? randomUUID()}`, receivedAt: new Date(),
  });
  const m = outcome.message;
  const row = await deps.runInScope(session, (tx) => queryOne<{ seq: number }>(tx, 'SELECT seq::int AS seq FROM messages WHERE tenant_id = :tenantId AND id = :id', { tenantId: session.tenantId, id: m.id }));
  return { id: m.id, seq: row?.seq ?? 0, from: 'visitor', text: m.body ?? '', at: new Date(m.createdAt).toISOString() };
}

/**
 * The chat as the visitor sees it: both sides, after `afterSeq` (replies as soon as they are on their way),
 * and whether the agent's latest turn failed (`staff`: the tenant's own people, who get the reason).
 */
export async function readChat(
  deps: WebChatDeps, session: ChatSession, input: { afterSeq: number; staff?: boolean },
): Promise<{ messages: ChatLine[]; failure: ChatFailure | null }> {
  const scope = { agencyId: session.agencyId, tenantId: session.tenantId };
  return deps.runInScope(scope, async (tx) => {
    const conversation = await findConversationOf(tx, { tenantId: session.tenantId, contactId: session.contactId, channel: 'web' });
    if (!conversation) return { messages: [], failure: null };
    const rows = await queryRows<{ id: string; seq: number; direction: string; body: string; at: Date }>(
      tx,
      `SELECT id, seq::int AS seq, direction, coalesce(body, '') AS body, created_at AS at FROM messages
       WHERE tenant_id = :tenantId AND conversation_id = :conversationId AND seq > :afterSeq
         AND (direction = 'inbound' OR status IN ('queued', 'sending', 'sent', 'delivered', 'read'))
       ORDER BY seq LIMIT 200`,
      { tenantId: session.tenantId, conversationId: conversation.id, afterSeq: input.afterSeq },
    );
    const failed = await queryOne<{ outcome: string | null; error: string | null; at: Date }>(
      tx,
      // The latest turn failed and the visitor has not written since (a new message means a new try).
      `SELECT latest.outcome, latest.error, coalesce(latest.finished_at, latest.created_at) AS at FROM (
         SELECT status, outcome, error, finished_at, created_at, last_message_id FROM agent_turns
         WHERE tenant_id = :tenantId AND conversation_id = :conversationId ORDER BY created_at DESC LIMIT 1) latest
       JOIN messages answered ON answered.tenant_id = :tenantId AND answered.id = latest.last_message_id
       WHERE latest.status = 'failed' AND NOT EXISTS (
         SELECT 1 FROM messages later WHERE later.tenant_id = :tenantId AND later.conversation_id = :conversationId
           AND later.direction = 'inbound' AND later.seq > answered.seq)`,
      { tenantId: session.tenantId, conversationId: conversation.id },
    );
    const failure = failed && {
      at: failed.at.toISOString(),
      reason: input.staff ? failed.outcome : null,
      message: input.staff ? `The AI model could not answer: ${failed.error ?? failed.outcome ?? 'unknown error'}` : VISITOR_FAILURE_MESSAGE,
    };
    return {
      messages: rows.map((r) => ({ id: r.id, seq: r.seq, from: r.direction === 'inbound' ? 'visitor' : 'business', text: r.body, at: r.at.toISOString() })),
      failure: failure ?? null,
    };
  });
}
