import type { MessagingPort, OutboundMessage, ProviderMessageLookup, SendResult } from '../../ports/messaging.js';

/**
 * The web chat "provider": our own widget reads replies from the API, so sending is recording. The
 * message goes through the same pipeline as every channel (policy, idempotency, status) and is
 * delivered once the pipeline hands it here.
 */
export class WebChatMessaging implements MessagingPort {
  readonly channel = 'web' as const;
  readonly defaultPacing = { messagesPerSecond: 100 };

  async send(message: OutboundMessage): Promise<SendResult> {
    return { providerMessageId: `web_${message.messageId}`, status: 'delivered', from: 'web' };
  }

  async findSent(message: OutboundMessage): Promise<ProviderMessageLookup> {
    return { providerMessageId: `web_${message.messageId}`, status: 'delivered', from: 'web' };
  }
}
