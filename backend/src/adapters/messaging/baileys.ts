import { createHash } from 'node:crypto';
import { ProviderError, type MessagingPort, type OutboundMessage, type ProviderMessageLookup, type SendResult } from '../../ports/messaging.js';
import type { LinkedDeviceSocket } from '../../ports/whatsapp-linked-device.js';

/** Where the adapter finds a tenant's live session (modules/whatsapp-linked LinkedDeviceSessions). */
export type SessionLookup = {
  socketFor(tenantId: string): { socket: LinkedDeviceSocket; phone: string | null } | { state: string };
};

export type BaileysMessagingOptions = {
  /** Messages per second per number and per chat (defaults: 0.5 and 0.25). Per-sender overrides also apply (pacing API). */
  pacing?: { perNumber: number; perChat: number };
  /** Typing simulation: "composing" for this long per character before a send, within the bounds. */
  typing?: { msPerChar: number; minMs: number; maxMs: number };
  sleep?: (ms: number) => Promise<void>;
  /** How long to hold off after WhatsApp's "rate-overlimit" (default 10 s). */
  rateLimitWaitMs?: number;
  /** How long a send (typing included) may take before we stop waiting for it (default 45 s). */
  sendTimeoutMs?: number;
};

const DEFAULT_TYPING = { msPerChar: 35, minMs: 800, maxMs: 4_000 };
const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * WhatsApp through the tenant's own linked phone. Conservative by default (ban-risk care): one message
 * every 2 s per number and every 4 s per chat, and a typing indicator before each message, as a person
 * would show. A session that is logged out or banned fails the send at once with that reason; one that
 * is (re)connecting is retried by the pipeline with backoff.
 */
export class BaileysMessaging implements MessagingPort {
  readonly channel = 'whatsapp' as const;
  readonly defaultPacing: { messagesPerSecond: number };
  readonly recipientPacing: { messagesPerSecond: number };
  private readonly typing;
  private readonly sleep;
  private readonly rateLimitWaitMs: number;
  private readonly sendTimeoutMs: number;

  constructor(private readonly sessions: SessionLookup, options: BaileysMessagingOptions = {}) {
    this.typing = options.typing ?? DEFAULT_TYPING;
    this.rateLimitWaitMs = options.rateLimitWaitMs ?? 10_000;
    this.sendTimeoutMs = options.sendTimeoutMs ?? 45_000;
    this.defaultPacing = { messagesPerSecond: options.pacing?.perNumber ?? 0.5 };
    this.recipientPacing = { messagesPerSecond: options.pacing?.perChat ?? 0.25 };
    this.sleep = options.sleep ?? sleepFor;
  }

  async send(message: OutboundMessage): Promise<SendResult> {
    if (message.template) throw new ProviderError('Approved templates need the WhatsApp Cloud API; a linked device sends text only', 'permanent', { code: 'whatsapp_template_unsupported' });
    const held = this.sessions.socketFor(message.tenantId);
    if ('state' in held) {
      if (held.state === 'logged_out' || held.state === 'banned') {
        throw new ProviderError(`The linked WhatsApp number is ${held.state === 'banned' ? 'banned' : 'logged out'}: pair it again in the portal`, 'permanent', { code: `whatsapp_session_${held.state}` });
      }
      throw new ProviderError(`The linked WhatsApp number is not connected (${held.state})`, 'transient', { code: 'whatsapp_session_not_connected' });
    }
    const text = message.body ?? '';
    const typingMs = Math.min(this.typing.maxMs, Math.max(this.typing.minMs, text.length * this.typing.msPerChar));
    const socket = held.socket;
    let sending = false;
    const send = async () => {
      await socket.sendPresence(message.to, 'composing');
      await this.sleep(typingMs);
      await socket.sendPresence(message.to, 'paused');
      sending = true;
      return socket.sendText(message.to, text, { messageId: whatsappMessageId(message.idempotencyKey) });
    };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new SendTimeout(sending)), this.sendTimeoutMs);
    });
    try {
      const { id } = await Promise.race([send(), timeout]);
      return { providerMessageId: id, status: 'sent', from: held.phone ?? undefined };
    } catch (err) {
      throw toProviderError(err, this.rateLimitWaitMs);
    } finally {
      clearTimeout(timer);
    }
  }

  /** WhatsApp has no lookup API; the stable message id (below) makes a resend the same message instead. */
  async findSent(): Promise<ProviderMessageLookup> {
    return undefined;
  }
}

class SendTimeout extends Error {
  constructor(readonly afterSendStarted: boolean) {
    super(afterSendStarted ? 'WhatsApp did not answer the send in time' : 'the typing indicator did not go out in time');
  }
}

/**
 * WhatsApp's rate limit ("rate-overlimit", 429) waits; a send that timed out after the message left may have
 * arrived (unknown outcome: the resend keeps the same WhatsApp id); anything else is retried with backoff.
 */
function toProviderError(err: unknown, rateLimitWaitMs: number): ProviderError {
  if (err instanceof SendTimeout) {
    return new ProviderError(`WhatsApp send timed out: ${err.message}`, err.afterSendStarted ? 'unknown_outcome' : 'transient', { code: 'whatsapp_send_timeout' });
  }
  const statusCode = (err as { output?: { statusCode?: number } }).output?.statusCode;
  const text = err instanceof Error ? err.message : String(err);
  if (statusCode === 429 || /rate-overlimit/i.test(text)) return new ProviderError(`WhatsApp rate limit: ${text}`, 'rate_limited', { code: 'whatsapp_rate_limited', retryAfterMs: rateLimitWaitMs, status: 429 });
  return new ProviderError(`WhatsApp send failed: ${text}`, 'transient', { code: 'whatsapp_send_failed', status: statusCode });
}

/** A WhatsApp-style message id (3EB0 + 18 hex bytes) derived from our idempotency key: the same message keeps one id. */
export function whatsappMessageId(idempotencyKey: string): string {
  return `3EB0${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 36).toUpperCase()}`;
}
