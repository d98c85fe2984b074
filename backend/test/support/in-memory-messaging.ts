import { ProviderError, type Channel, type MessagingPort, type OutboundMessage, type SendResult } from '../../src/ports/messaging.js';

type Script = (call: number) => ProviderError | undefined;

/**
 * A fake MessagingPort that remembers what it "sent" (by our message id) and can be told to fail:
 * per message, a script returns the error for the nth call (1-based) or undefined to accept it.
 */
export class InMemoryMessaging implements MessagingPort {
  readonly sends: { messageId: string; from: string; to: string; at: number }[] = [];
  readonly accepted = new Map<string, string>();
  private readonly scripts = new Map<string, Script>();
  private readonly callCounts = new Map<string, number>();

  constructor(
    readonly channel: Channel = 'sms',
    readonly defaultPacing = { messagesPerSecond: 1000 },
  ) {}

  failWith(messageId: string, script: Script): void {
    this.scripts.set(messageId, script);
  }

  /** Pretend the provider accepted this message earlier (a crash after the call). */
  preload(messageId: string, providerMessageId: string): void {
    this.accepted.set(messageId, providerMessageId);
  }

  callsFor(messageId: string): number {
    return this.callCounts.get(messageId) ?? 0;
  }

  async send(message: OutboundMessage): Promise<SendResult> {
    const call = (this.callCounts.get(message.messageId) ?? 0) + 1;
    this.callCounts.set(message.messageId, call);
    this.sends.push({ messageId: message.messageId, from: message.from, to: message.to, at: Date.now() });
    const error = this.scripts.get(message.messageId)?.(call);
    if (error) throw error;
    const providerMessageId = `SM${message.messageId.replace(/-/g, '')}`;
    this.accepted.set(message.messageId, providerMessageId);
    return { providerMessageId, status: 'queued' };
  }

  async findSent(message: OutboundMessage) {
    const providerMessageId = this.accepted.get(message.messageId);
    return providerMessageId ? { providerMessageId, status: 'sent' } : undefined;
  }
}

export const transient = () => new ProviderError('upstream 503', 'transient', { status: 503, code: 'upstream_unavailable' });
export const rateLimited = (retryAfterMs: number) => new ProviderError('too many requests', 'rate_limited', { status: 429, retryAfterMs });
export const permanent = () => new ProviderError('invalid number', 'permanent', { status: 400, code: 21211 });
