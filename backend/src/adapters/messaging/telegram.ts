import { Api, TelegramApiError, TimeoutError } from 'node-telegram-bot-api';
import { z } from 'zod';
import { ProviderError, type MessagingPort, type OutboundMessage, type ProviderMessageLookup, type SendResult } from '../../ports/messaging.js';

/** What the pipeline hands this adapter (decrypted per send; never logged). */
export const telegramCredentials = z.object({ botToken: z.string().min(10), botId: z.string().min(1) });

export type TelegramOptions = {
  /** Bot API origin (https://api.telegram.org); the fake in tests. */
  apiRoot: string;
  timeoutMs?: number;
};

/**
 * Telegram through the Bot API with the official client (node-telegram-bot-api 2.x). The client's own
 * retries are off: the pipeline retries (with the same idempotency) and honours 429 retry_after itself.
 * Pacing: about 30 messages/s per bot (sender) and 1 message/s per chat (recipient), Telegram's limits.
 */
export class TelegramMessaging implements MessagingPort {
  readonly channel = 'telegram' as const;
  readonly defaultPacing = { messagesPerSecond: 30 };
  readonly recipientPacing = { messagesPerSecond: 1 };

  constructor(private readonly options: TelegramOptions) {}

  async send(message: OutboundMessage, credentials: unknown): Promise<SendResult> {
    const creds = telegramCredentials.parse(credentials);
    if (!message.body) throw new ProviderError('A Telegram message needs a text body', 'permanent', { code: 'body_required' });
    try {
      const sent = await this.api(creds.botToken).sendMessage({ chat_id: message.to, text: message.body });
      return { providerMessageId: `${message.to}:${sent.message_id}`, status: 'sent', from: creds.botId };
    } catch (err) {
      throw telegramError(err);
    }
  }

  /** The Bot API cannot list what a bot sent: an unknown outcome cannot be reconciled. */
  async findSent(_message: OutboundMessage, _credentials: unknown): Promise<ProviderMessageLookup> {
    return undefined;
  }

  private api(token: string): Api {
    return new Api(token, { apiRoot: this.options.apiRoot, maxRetries: 0, timeoutMs: this.options.timeoutMs ?? 15_000 });
  }
}

export function telegramError(err: unknown): ProviderError {
  if (err instanceof TelegramApiError) {
    const message = `Telegram ${err.errorCode}: ${err.description}`;
    if (err.errorCode === 429) return new ProviderError(message, 'rate_limited', { code: 429, status: 429, retryAfterMs: (err.retryAfter ?? 1) * 1000 });
    if (err.errorCode === 403) return new ProviderError(message, 'permanent', { code: 'bot_blocked', status: 403 });
    if (err.errorCode >= 500) return new ProviderError(message, 'transient', { code: err.errorCode, status: err.errorCode });
    return new ProviderError(message, 'permanent', { code: err.errorCode, status: err.errorCode });
  }
  if (err instanceof TimeoutError) return new ProviderError(`Telegram timed out: ${err.message}`, 'unknown_outcome');
  return new ProviderError(`Telegram unreachable: ${(err as Error).message}`, 'transient');
}
