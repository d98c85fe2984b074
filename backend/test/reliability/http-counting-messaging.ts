import { ProviderError, type MessagingPort, type OutboundMessage, type SendResult } from '../../src/ports/messaging.js';

/** The worker-side adapter for CountingProvider (over HTTP, so several worker processes share one ledger). */
export class HttpCountingMessaging implements MessagingPort {
  readonly channel = 'sms' as const;
  constructor(
    private readonly baseUrl: string,
    readonly defaultPacing: { messagesPerSecond: number },
  ) {}

  async send(message: OutboundMessage): Promise<SendResult> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ messageId: message.messageId, from: message.from, to: message.to, body: message.body }),
        signal: AbortSignal.timeout(5_000),
      });
    } catch (err) {
      throw new ProviderError(`no answer: ${(err as Error).message}`, 'unknown_outcome');
    }
    const body = (await response.json()) as { sid?: string; message?: string };
    if (response.status === 201) return { providerMessageId: body.sid!, status: 'queued' };
    if (response.status === 429) throw new ProviderError('rate limited', 'rate_limited', { status: 429, retryAfterMs: 1000 });
    if (response.status >= 500) throw new ProviderError(body.message ?? 'server error', 'transient', { status: response.status });
    throw new ProviderError(body.message ?? 'rejected', 'permanent', { status: response.status });
  }

  async findSent(message: OutboundMessage) {
    const response = await fetch(`${this.baseUrl}/messages/${message.messageId}`, { signal: AbortSignal.timeout(5_000) });
    if (response.status === 404) return undefined;
    if (!response.ok) throw new ProviderError(`lookup failed: ${response.status}`, 'transient');
    const body = (await response.json()) as { sid: string; status: string };
    return { providerMessageId: body.sid, status: body.status };
  }
}
