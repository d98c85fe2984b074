import type { ScopedDeps } from '../../db/scoped-deps.js';
import type { DomainEvent } from '../../ports/events.js';
import type { Channel } from '../../ports/messaging.js';
import { selectAgentForChannel } from '../agents/agent-repository.js';
import { messageHasTurn, openOrExtendTurn } from './turn-repository.js';

type ReceivedData = { messageId: string; conversationId: string; contactId: string; channel: Channel; keyword: unknown };

/**
 * message.received -> the conversation's agent turn. Compliance keywords (STOP, HELP...) were answered
 * by the system and get no agent reply. A message that arrives while a turn is waiting joins it (the
 * agent answers the burst once); a repeated event changes nothing.
 */
export async function scheduleAgentTurn(deps: ScopedDeps, event: DomainEvent): Promise<'scheduled' | 'batched' | 'ignored'> {
  const data = event.data as ReceivedData;
  if (data.keyword) return 'ignored';
  const scope = { agencyId: event.agencyId, tenantId: event.tenantId };
  return deps.runInScope(scope, async (tx) => {
    const agent = await selectAgentForChannel(tx, { tenantId: event.tenantId, channel: data.channel });
    if (!agent) return 'ignored';
    if (await messageHasTurn(tx, { conversationId: data.conversationId, messageId: data.messageId })) return 'ignored';
    const { extended } = await openOrExtendTurn(tx, {
      ...scope, agentId: agent.id, conversationId: data.conversationId, contactId: data.contactId, channel: data.channel, messageId: data.messageId,
      batchWindowMs: agent.settings.batchWindowMs, maxBatchWaitMs: agent.settings.maxBatchWaitMs,
    });
    return extended ? 'batched' : 'scheduled';
  });
}
