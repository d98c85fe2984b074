import type { Transaction } from 'sequelize';
import type { EventBus } from '../../ports/events.js';
import type { Message, MessageStatus } from './message-types.js';
import type { TenantScope } from './messaging-deps.js';

/** message.status, published in the transaction that changed the status. */
export async function publishStatus(
  tx: Transaction,
  deps: { events: EventBus },
  scope: TenantScope,
  message: Message,
  previousStatus: MessageStatus | null,
): Promise<void> {
  await deps.events.publish(
    {
      type: 'message.status',
      ...scope,
      data: {
        messageId: message.id,
        conversationId: message.conversationId,
        contactId: message.contactId,
        channel: message.channel,
        status: message.status,
        previousStatus,
        policy: message.policy,
        error: message.error,
        provider: message.provider,
        providerMessageId: message.providerMessageId,
      },
    },
    { transaction: tx },
  );
}
