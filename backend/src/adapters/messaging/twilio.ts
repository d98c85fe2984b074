import {
  ProviderError,
  type MessagingPort,
  type OutboundMessage,
  type ProviderMessageLookup,
  type SendResult,
} from '../../ports/messaging.js';
import { parseTwilioCredentials, toProviderError, twilioClientFactory, type TwilioClient, type TwilioCredentials, type TwilioRestOptions } from './twilio-rest.js';

export type TwilioMessagingOptions = TwilioRestOptions & {
  /** PUBLIC_URL: Twilio posts delivery receipts to `${publicUrl}/webhooks/twilio/sms/status?mid=<message id>`. */
  publicUrl: string;
  /** A US long code sends about one message per second; toll-free and short codes more. */
  messagesPerSecond?: number;
};

const RECONCILE_LOOKBACK_MS = 24 * 3600_000;
const CLOCK_SKEW_MS = 60_000;

/** SMS through Twilio's Messages API with the official SDK. */
export class TwilioMessaging implements MessagingPort {
  readonly channel = 'sms' as const;
  readonly defaultPacing: { messagesPerSecond: number };
  private readonly clientFor: (credentials: TwilioCredentials) => TwilioClient;

  constructor(private readonly options: TwilioMessagingOptions) {
    this.defaultPacing = { messagesPerSecond: options.messagesPerSecond ?? 1 };
    this.clientFor = twilioClientFactory(options);
  }

  statusCallbackUrl(messageId: string): string {
    return `${this.options.publicUrl.replace(/\/+$/, '')}/webhooks/twilio/sms/status?mid=${encodeURIComponent(messageId)}`;
  }

  async send(message: OutboundMessage, credentials: unknown): Promise<SendResult> {
    const creds = parseTwilioCredentials(credentials);
    const { body, from } = this.checked(message, creds);
    try {
      const created = await this.clientFor(creds).messages.create({
        to: message.to,
        from,
        body,
        statusCallback: this.statusCallbackUrl(message.messageId),
      });
      const status = created.status === 'sent' || created.status === 'delivered' ? created.status : 'queued';
      return { providerMessageId: created.sid, status, segments: Number(created.numSegments) || undefined, from: created.from || from };
    } catch (err) {
      throw toProviderError(err);
    }
  }

  /**
   * After a send whose outcome we never learned: lists what Twilio has from our number to the recipient
   * since the first attempt and matches the body. Twilio does not echo the StatusCallback (our message
   * id) on the resource, so the body plus the time window is what identifies it; the most recent match wins.
   */
  async findSent(message: OutboundMessage, credentials: unknown): Promise<ProviderMessageLookup> {
    const creds = parseTwilioCredentials(credentials);
    const { body, from } = this.checked(message, creds);
    const since = message.firstAttemptAt ? Date.parse(message.firstAttemptAt) - CLOCK_SKEW_MS : Date.now() - RECONCILE_LOOKBACK_MS;
    try {
      const found = await this.clientFor(creds).messages.list({ to: message.to, from, dateSentAfter: new Date(since), limit: 200 });
      const match = found.find((candidate) => candidate.body === body);
      return match && { providerMessageId: match.sid, status: match.status, from: match.from || from };
    } catch (err) {
      throw toProviderError(err);
    }
  }

  private checked(message: OutboundMessage, creds: TwilioCredentials): { body: string; from: string } {
    if (!message.body) throw new ProviderError('An SMS needs a text body (templates are not an SMS concept)', 'permanent', { code: 'body_required' });
    const from = message.from || creds.phoneNumbers[0];
    if (!from) throw new ProviderError('No Twilio sender number is configured for this tenant', 'permanent', { code: 'no_sender' });
    return { body: message.body, from };
  }
}
