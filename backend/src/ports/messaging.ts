// Port: a channel that can send a message to a person. Adapters: TwilioMessaging (sms), and later
// BaileysMessaging / WhatsAppCloudMessaging (whatsapp), TelegramMessaging (telegram).
export const CHANNELS = ['sms', 'whatsapp', 'telegram', 'web'] as const;
export type Channel = (typeof CHANNELS)[number];

export type OutboundMessage = {
  /** Our message id: adapters pass it to the provider where possible (status callback URL, metadata). */
  messageId: string;
  tenantId: string;
  channel: Channel;
  /** Sender identity on the channel (E.164 number, bot id, linked WhatsApp number). */
  from: string;
  /** Recipient address on the channel (E.164 number, chat id). */
  to: string;
  body?: string;
  template?: { name: string; language?: string; variables?: Record<string, string> };
  /** Stable per message: adapters that support provider-side idempotency use it. */
  idempotencyKey: string;
  /** When the first send attempt started (ISO 8601): `findSent` searches the provider from then on. */
  firstAttemptAt?: string;
};

export type SendResult = {
  providerMessageId: string;
  status: 'queued' | 'sent' | 'delivered';
  segments?: number;
  /** The sender identity the provider used (the adapter picks one when OutboundMessage.from is empty). */
  from?: string;
};

/** Why a send failed, so the pipeline knows whether to retry, wait, or give up. */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly kind: 'rate_limited' | 'transient' | 'permanent' | 'unknown_outcome',
    readonly details: { code?: string | number; retryAfterMs?: number; status?: number } = {},
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}

/** A message the provider already has, found when reconciling a send whose outcome we never learned. */
export type ProviderMessageLookup = { providerMessageId: string; status: string; from?: string } | undefined;

export interface MessagingPort {
  readonly channel: Channel;
  /** Per-sender pacing the provider needs (e.g. Twilio long code: 1 message per second). */
  readonly defaultPacing: { messagesPerSecond: number };
  /** Per-recipient pacing on top of the sender's (Telegram: about 1 message per second per chat). */
  readonly recipientPacing?: { messagesPerSecond: number };
  send(message: OutboundMessage, credentials: unknown): Promise<SendResult>;
  /** Finds a message we may have sent (crash after the provider accepted it), by our message id or idempotency key. */
  findSent(message: OutboundMessage, credentials: unknown): Promise<ProviderMessageLookup>;
}
