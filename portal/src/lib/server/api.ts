/**
 * The portal's only way to the Switchboard API. Every call carries the request id, gives up after
 * a timeout, and turns anything but a 2xx into an ApiError mirroring the backend's error envelope.
 */
import { ApiError } from './api-error.js';
import type { Credentials, ErrorEnvelope, Readiness } from './api-types.js';
import { clientAddressHeaders, type ClientAddress } from './client-address.js';

export { ApiError, type ApiErrorCode } from './api-error.js';
/** A 402 (the plan or the billing state refused): its sentence and upgrade link for a PlanLimitNotice, else null. */
export { planRefusalOf, type PlanRefusal } from '../plan-refusal.js';
export type * from './api-types.js';

/** What an invitation token offers (POST /api/v1/invitations/inspect). */
export type InvitationOffer = { email: string; role: string; tenantId: string | null; expiresAt: string; accountExists: boolean };

export type ApiOptions = {
  baseUrl: string;
  timeoutMs: number;
  /** Forwarded as x-request-id so one id follows a click through portal and backend logs. */
  requestId?: string;
  /** The visitor's address, signed on every call so the API's per-address limits count the visitor, not the portal. */
  clientAddress?: ClientAddress;
  fetch?: typeof fetch;
};

/** What a password sign-in leaves the portal to keep: the backend session and the CSRF token for later mutations. */
export type SignedIn = { sessionId: string; csrfToken: string };

type Call = {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: `/${string}`;
  body?: unknown;
  /** Non-2xx statuses whose body is still a regular answer (503 from /readyz). */
  accept?: readonly number[];
  /** Checks the answer's shape; a mismatch is a BAD_RESPONSE rather than a crash further on. */
  expect?: (body: unknown) => boolean;
  headers?: Record<string, string>;
  /** Sees the answer's headers (Set-Cookie) before the body is checked. */
  onResponse?: (response: Response) => void;
};

export function createApi(options: ApiOptions) {
  const send = <T>(call: Call) => request<T>(options, call);
  return {
    getReadiness: () => send<Readiness>({ path: '/readyz', accept: [503], expect: isReadiness }),
    login: (credentials: Credentials) =>
      send<unknown>({ method: 'POST', path: '/api/v1/auth/login', body: credentials }),
    /** A CSRF token, then the login carrying it; the session comes back in Set-Cookie (see session.ts). */
    signIn: async (credentials: Credentials): Promise<SignedIn> => {
      const { csrfToken } = await send<{ csrfToken: string }>({ path: '/api/v1/auth/csrf', expect: (body) => typeof (body as { csrfToken?: unknown }).csrfToken === 'string' });
      let sessionId: string | undefined;
      await send<unknown>({
        method: 'POST', path: '/api/v1/auth/login', body: credentials,
        headers: { cookie: `sb_csrf=${encodeURIComponent(csrfToken)}`, 'x-csrf-token': csrfToken },
        onResponse: (response) => {
          const pair = response.headers.getSetCookie().map((line) => line.split(';')[0]!).find((p) => p.startsWith('sb_session='));
          if (pair) sessionId = decodeURIComponent(pair.slice('sb_session='.length));
        },
      });
      if (!sessionId) throw new ApiError(502, 'BAD_RESPONSE', 'The API signed you in but sent no session', undefined, options.requestId);
      return { sessionId, csrfToken };
    },
    inspectInvitation: (token: string) =>
      send<InvitationOffer>({ method: 'POST', path: '/api/v1/invitations/inspect', body: { token } }),
    acceptInvitation: (input: { token: string; name?: string; password?: string }) =>
      send<unknown>({ method: 'POST', path: '/api/v1/invitations/accept', body: input }),
    requestPasswordReset: (email: string) =>
      send<{ message: string; mailConfigured?: boolean }>({ method: 'POST', path: '/api/v1/auth/password-reset/request', body: { email } }),
    confirmPasswordReset: (input: { token: string; password: string }) =>
      send<unknown>({ method: 'POST', path: '/api/v1/auth/password-reset/confirm', body: input }),
  };
}

export type Api = ReturnType<typeof createApi>;

function isReadiness(body: unknown): boolean {
  const { status, checks } = (body ?? {}) as Partial<Readiness>;
  return typeof status === 'string' && typeof checks === 'object' && checks !== null;
}

async function request<T>(options: ApiOptions, call: Call): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...call.headers, ...clientAddressHeaders(options.clientAddress) };
  if (options.requestId) headers['x-request-id'] = options.requestId;
  if (call.body !== undefined) headers['content-type'] = 'application/json';

  let response: Response;
  let text: string;
  try {
    // One signal for connecting and reading the body, so a stalled stream also times out.
    response = await (options.fetch ?? fetch)(`${options.baseUrl}${call.path}`, {
      method: call.method ?? 'GET',
      headers,
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    text = await response.text();
  } catch (err) {
    throw transportError(err, options);
  }

  const requestId = response.headers.get('x-request-id') ?? options.requestId;
  call.onResponse?.(response);
  const body = parseJson(text);
  const accepted = response.ok || call.accept?.includes(response.status) === true;
  if (accepted && response.status === 204) return undefined as T;
  if (accepted && body !== undefined && !isErrorEnvelope(body) && (call.expect?.(body) ?? true)) return body as T;
  if (isErrorEnvelope(body)) {
    const { code, message, details } = body.error;
    throw new ApiError(response.status, code, message, details, body.error.requestId ?? requestId);
  }
  const status = accepted ? 502 : response.status;
  throw new ApiError(status, 'BAD_RESPONSE', `Unexpected ${response.status} answer from ${call.path}`, undefined, requestId);
}

function transportError(err: unknown, options: ApiOptions): ApiError {
  if (err instanceof DOMException && err.name === 'TimeoutError') {
    const message = `The API did not answer within ${options.timeoutMs} ms`;
    return new ApiError(504, 'BACKEND_TIMEOUT', message, undefined, options.requestId);
  }
  // undici reports refused connections and DNS failures as "fetch failed" with the reason in `cause`.
  const reason = err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
  return new ApiError(503, 'BACKEND_UNREACHABLE', `Could not reach the API: ${reason}`, undefined, options.requestId);
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isErrorEnvelope(body: unknown): body is ErrorEnvelope {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  return typeof error?.code === 'string' && typeof error.message === 'string';
}
