import type { ScopedDeps } from '../../db/scoped-deps.js';
import { AppError } from '../../http/errors.js';
import type { Actor } from '../../http/request-context.js';
import type { Channel } from '../../ports/messaging.js';
import { tenantScopeOf } from '../contacts/contact-scope.js';
import { findConversation, listConversations as selectConversations } from './conversation-repository.js';
import { findMessage, listConversationMessages, listDeadMessages, listStatusChanges } from './message-repository.js';
import type { Conversation, Message, StatusChange } from './message-types.js';

type Page = { limit: number; offset: number };

export function listConversations(deps: ScopedDeps, input: { actor: Actor; contactId?: string; channel?: Channel } & Page): Promise<Conversation[]> {
  const scope = tenantScopeOf(input.actor);
  return deps.runInScope(scope, (tx) => selectConversations(tx, { ...input, tenantId: scope.tenantId }));
}

/** A conversation's messages, oldest first; 404 when the conversation is not the caller's tenant's. */
export function listMessages(deps: ScopedDeps, input: { actor: Actor; conversationId: string } & Page): Promise<Message[]> {
  const scope = tenantScopeOf(input.actor);
  return deps.runInScope(scope, async (tx) => {
    const conversation = await findConversation(tx, { tenantId: scope.tenantId, conversationId: input.conversationId });
    if (!conversation) throw new AppError('NOT_FOUND', 'Conversation not found');
    return listConversationMessages(tx, { tenantId: scope.tenantId, conversationId: conversation.id, limit: input.limit, offset: input.offset });
  });
}

/** One message with its policy decision and status history. */
export function getMessage(deps: ScopedDeps, input: { actor: Actor; messageId: string }): Promise<Message & { history: StatusChange[] }> {
  const scope = tenantScopeOf(input.actor);
  return deps.runInScope(scope, async (tx) => {
    const message = await findMessage(tx, { tenantId: scope.tenantId, messageId: input.messageId });
    if (!message) throw new AppError('NOT_FOUND', 'Message not found');
    return { ...message, history: await listStatusChanges(tx, { tenantId: scope.tenantId, messageId: message.id }) };
  });
}

/** Messages the pipeline gave up on (status dead), newest first: what an operator should look at. */
export function listDeadLetters(deps: ScopedDeps, input: { actor: Actor } & Page): Promise<Message[]> {
  const scope = tenantScopeOf(input.actor);
  return deps.runInScope(scope, (tx) => listDeadMessages(tx, { tenantId: scope.tenantId, limit: input.limit, offset: input.offset }));
}
