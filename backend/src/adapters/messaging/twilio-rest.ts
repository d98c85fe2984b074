// What TwilioMessaging and TwilioVoice share: the official SDK client pointed at a configurable API
// base URL (Twilio, or the fake in tests), the credentials shape, and the mapping of SDK failures to
// ProviderError kinds the pipeline acts on.
import twilio from 'twilio';
import { z } from 'zod';
import { ProviderError } from '../../ports/messaging.js';

export const twilioCredentials = z.object({
  accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/),
  authToken: z.string().min(1),
  phoneNumbers: z.array(z.string()).default([]),
});
export type TwilioCredentials = z.infer<typeof twilioCredentials>;

export type TwilioRestOptions = {
  /** Default https://api.twilio.com; tests and demos point it at tests/fakes/twilio. */
  apiBaseUrl?: string;
  /** Per request; a send that times out after being written is an `unknown_outcome`. */
  timeoutMs?: number;
};

export type TwilioClient = ReturnType<typeof twilio>;

/** The SDK throws RestException without response headers; this keeps them (Retry-After). */
export class TwilioHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: { code?: number; message?: string } | undefined,
    readonly headers: Record<string, string | undefined>,
  ) {
    super(body?.message ?? `Twilio answered HTTP ${status}`);
    this.name = 'TwilioHttpError';
  }
}

class HeaderKeepingRequestClient extends twilio.RequestClient {
  override async request<TData>(opts: Parameters<twilio.RequestClient['request']>[0]) {
    const response = await super.request<TData>(opts as never);
    if (response.statusCode >= 400) {
      const body = typeof response.body === 'string' ? safeJson(response.body) : (response.body as TwilioHttpError['body']);
      throw new TwilioHttpError(response.statusCode, body, (response.headers ?? {}) as Record<string, string | undefined>);
    }
    return response;
  }
}

function safeJson(text: string): TwilioHttpError['body'] {
  try {
    return JSON.parse(text) as TwilioHttpError['body'];
  } catch {
    return undefined;
  }
}

export function parseTwilioCredentials(value: unknown): TwilioCredentials {
  const parsed = twilioCredentials.safeParse(value);
  if (!parsed.success) throw new ProviderError('Twilio credentials are missing or malformed', 'permanent', { code: 'credentials_invalid' });
  return parsed.data;
}

/** One HTTP client (one connection pool) shared by the per-account SDK clients of an adapter. */
export function twilioClientFactory(options: TwilioRestOptions): (credentials: TwilioCredentials) => TwilioClient {
  const httpClient = new HeaderKeepingRequestClient({ timeout: options.timeoutMs ?? 15_000 });
  return (credentials) => {
    const client = twilio(credentials.accountSid, credentials.authToken, { httpClient });
    if (options.apiBaseUrl) client.api.baseUrl = options.apiBaseUrl.replace(/\/+$/, '');
    return client;
  };
}

const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);
const NEVER_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'CERT_HAS_EXPIRED']);

/** True when the whole request reached the socket: from then on Twilio may have acted on it. */
function requestWasWritten(err: unknown): boolean {
  const request = (err as { request?: { writableFinished?: boolean; finished?: boolean } }).request;
  return Boolean(request && (request.writableFinished ?? request.finished));
}

function retryAfterMs(header: string | undefined): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Maps an SDK or network failure to what the pipeline does next (retry, wait, reconcile, give up). */
export function toProviderError(err: unknown): ProviderError {
  if (err instanceof ProviderError) return err;
  if (err instanceof TwilioHttpError) {
    const details = { code: err.body?.code, status: err.status };
    const message = `Twilio ${err.status}${err.body?.code ? ` (${err.body.code})` : ''}: ${err.message}`;
    if (err.status === 429) return new ProviderError(message, 'rate_limited', { ...details, retryAfterMs: retryAfterMs(err.headers['retry-after']) ?? 1000 });
    if (err.status >= 500 || err.status === 408) return new ProviderError(message, 'transient', details);
    return new ProviderError(message, 'permanent', details);
  }
  const code = (err as { code?: string }).code ?? '';
  const text = err instanceof Error ? err.message : String(err);
  if (NEVER_SENT_CODES.has(code) || !requestWasWritten(err)) return new ProviderError(`Twilio unreachable: ${text}`, 'transient', { code: code || undefined });
  // The request went out and no answer came back (timeout, reset): Twilio may or may not have it.
  const kind = TIMEOUT_CODES.has(code) ? 'timed out' : 'connection lost';
  return new ProviderError(`Twilio ${kind} after the request was sent: ${text}`, 'unknown_outcome', { code: code || undefined });
}
