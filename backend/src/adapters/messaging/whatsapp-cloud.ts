import { z } from 'zod';
import { ProviderError, type MessagingPort, type OutboundMessage, type ProviderMessageLookup, type SendResult } from '../../ports/messaging.js';

/** What the pipeline hands this adapter (decrypted per send; never logged). */
export const whatsappCloudCredentials = z.object({ accessToken: z.string().min(1), phoneNumberId: z.string().min(1), displayNumber: z.string().min(1) });
export type WhatsAppCloudCredentials = z.infer<typeof whatsappCloudCredentials>;

export type WhatsAppCloudOptions = {
  /** Graph API root with its version (https://graph.facebook.com/v21.0); the fake in tests. */
  graphBaseUrl: string;
  timeoutMs?: number;
  /** Meta's per-number throughput is far above a long code's; stay conservative by default. */
  messagesPerSecond?: number;
};

// Meta error codes: throttling, and the recipient that cannot receive WhatsApp messages.
const RATE_LIMIT_CODES = new Set([4, 80007, 130429, 131048, 131056]);
const NO_ACCOUNT_CODES = new Set([131026]);

/** WhatsApp through Meta's Cloud API (POST /{phone-number-id}/messages), plain fetch. */
export class WhatsAppCloudMessaging implements MessagingPort {
  readonly channel = 'whatsapp' as const;
  readonly defaultPacing: { messagesPerSecond: number };

  constructor(private readonly options: WhatsAppCloudOptions) {
    this.defaultPacing = { messagesPerSecond: options.messagesPerSecond ?? 10 };
  }

  async send(message: OutboundMessage, credentials: unknown): Promise<SendResult> {
    const creds = whatsappCloudCredentials.parse(credentials);
    const to = message.to.replace(/^\+/, '');
    const content = message.template
      ? { type: 'template', template: { name: message.template.name, language: { code: message.template.language ?? 'en' }, ...templateComponents(message.template.variables) } }
      : message.body
        ? { type: 'text', text: { body: message.body, preview_url: false } }
        : undefined;
    if (!content) throw new ProviderError('A WhatsApp message needs a text body or a template', 'permanent', { code: 'body_required' });
    const response = await this.post(`${creds.phoneNumberId}/messages`, creds.accessToken, { messaging_product: 'whatsapp', recipient_type: 'individual', to, ...content });
    const id = (response as { messages?: { id?: string }[] }).messages?.[0]?.id;
    if (!id) throw new ProviderError('WhatsApp accepted the request but returned no message id', 'unknown_outcome');
    return { providerMessageId: id, status: 'queued', from: creds.displayNumber };
  }

  /** The Cloud API cannot list sent messages: an unknown outcome cannot be reconciled, so it is sent again. */
  async findSent(): Promise<ProviderMessageLookup> {
    return undefined;
  }

  private async post(path: string, accessToken: string, body: unknown): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(`${this.options.graphBaseUrl.replace(/\/+$/, '')}/${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
      });
    } catch (err) {
      const timedOut = (err as Error).name === 'TimeoutError';
      throw new ProviderError(`WhatsApp Cloud API ${timedOut ? 'timed out' : 'unreachable'}: ${(err as Error).message}`, timedOut ? 'unknown_outcome' : 'transient');
    }
    const json = (await response.json().catch(() => ({}))) as { error?: { code?: number; message?: string } };
    if (response.ok) return json;
    throw cloudError(response, json.error);
  }
}

function templateComponents(variables?: Record<string, string>): { components?: unknown[] } {
  const values = Object.values(variables ?? {});
  return values.length ? { components: [{ type: 'body', parameters: values.map((text) => ({ type: 'text', text })) }] } : {};
}

function cloudError(response: Response, error: { code?: number; message?: string } | undefined): ProviderError {
  const code = error?.code;
  const message = `WhatsApp Cloud API ${response.status}: ${error?.message ?? response.statusText}`;
  if (response.status === 429 || (code !== undefined && RATE_LIMIT_CODES.has(code))) {
    const retryAfter = Number(response.headers.get('retry-after'));
    return new ProviderError(message, 'rate_limited', { code, status: response.status, ...(retryAfter > 0 && { retryAfterMs: retryAfter * 1000 }) });
  }
  if (code !== undefined && NO_ACCOUNT_CODES.has(code)) return new ProviderError(message, 'permanent', { code: 'no_whatsapp_account', status: response.status });
  if (response.status >= 500) return new ProviderError(message, 'transient', { code, status: response.status });
  return new ProviderError(message, 'permanent', { code, status: response.status });
}
