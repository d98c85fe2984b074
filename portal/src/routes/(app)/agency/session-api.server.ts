/**
 * Backend calls made on behalf of the signed-in person, for the admin pages (channels, team, audit,
 * agency). Forwards the portal's copies of sb_session and sb_csrf and sends x-csrf-token on mutations,
 * as docs/auth.md asks; the browser never talks to the API itself.
 */
import type { Cookies } from '@sveltejs/kit';
import { ApiError } from '#lib/server/api.js';
import { clientAddressHeaders } from '#lib/server/client-address.js';
import { config } from '#lib/server/config.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Context = { cookies: Cookies; locals: App.Locals; fetch?: typeof fetch };

/**
 * The double-submit token for mutations. Normally stored at sign-in; when it is missing, fetch one
 * (it is not tied to the session) and keep it for the next request.
 */
async function csrfToken(context: Context): Promise<string | undefined> {
  const stored = context.cookies.get('sb_csrf');
  if (stored || !context.cookies.get('sb_session')) return stored;
  const response = await (context.fetch ?? fetch)(`${config.backendUrl}/api/v1/auth/csrf`, { signal: AbortSignal.timeout(config.backendTimeoutMs) });
  const { csrfToken: token } = (await response.json()) as { csrfToken?: string };
  if (token) context.cookies.set('sb_csrf', token, { path: '/', httpOnly: true, sameSite: 'lax' });
  return token;
}

function headersFor(context: Context, method: Method, hasBody: boolean, csrf: string | undefined): Record<string, string> {
  const session = context.cookies.get('sb_session');
  const headers: Record<string, string> = {
    accept: 'application/json',
    'x-request-id': context.locals.requestId,
    // The audit trail and per-address limits see the visitor, not the portal.
    ...clientAddressHeaders({ address: context.locals.clientAddress, secret: config.clientAddressSecret }),
  };
  const jar = [session && `sb_session=${encodeURIComponent(session)}`, csrf && `sb_csrf=${encodeURIComponent(csrf)}`].filter(Boolean);
  if (jar.length > 0) headers.cookie = jar.join('; ');
  if (method !== 'GET' && csrf) headers['x-csrf-token'] = csrf;
  if (hasBody) headers['content-type'] = 'application/json';
  return headers;
}

/** The raw answer (for downloads and streams); transport failures become ApiErrors like everywhere else. */
export async function backendFetch(context: Context, method: Method, path: `/${string}`, body?: unknown, extraHeaders?: Record<string, string>): Promise<Response> {
  try {
    const csrf = method === 'GET' ? context.cookies.get('sb_csrf') : await csrfToken(context);
    return await (context.fetch ?? fetch)(`${config.backendUrl}${path}`, {
      method,
      headers: { ...headersFor(context, method, body !== undefined, csrf), ...extraHeaders },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(config.backendTimeoutMs * 2),
    });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new ApiError(503, 'BACKEND_UNREACHABLE', `Could not reach the API: ${reason}`, undefined, context.locals.requestId);
  }
}

/**
 * A JSON call; any non-2xx answer is thrown as an ApiError carrying the backend's envelope.
 * `extraHeaders`: e.g. an Idempotency-Key, so a form submitted twice books once.
 */
export async function backendJson<T>(context: Context, method: Method, path: `/${string}`, body?: unknown, extraHeaders?: Record<string, string>): Promise<T> {
  const response = await backendFetch(context, method, path, body, extraHeaders);
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (response.ok) return parsed as T;
  const error = (parsed as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
  const message = error?.message ?? `Unexpected ${response.status} answer from ${path}`;
  throw new ApiError(response.status, error?.code ?? 'BAD_RESPONSE', message, error?.details, context.locals.requestId);
}

/**
 * What a form shows when a call failed: the backend's own message for 4xx, a calm sentence otherwise,
 * and for a 400 the API's field issues keyed by field ("timeZone": "…") so each shows beside its input.
 */
export function explainFailure(err: unknown): { status: number; message: string; fields: Record<string, string> } {
  if (!(err instanceof ApiError)) throw err;
  if (err.status === 401) return { status: 401, message: 'Your session has ended. Sign in again.', fields: {} };
  if (err.status === 403) return { status: 403, message: 'Your role does not allow this.', fields: {} };
  if (err.status < 500) {
    const fields = err.fieldErrors();
    // Forms that do not place every field still say what was wrong.
    const named = Object.entries(fields).map(([field, issue]) => `${field} ${issue}`);
    const message = named.length > 0 ? `${err.message.replace(/\.$/, '')}: ${named.join('; ')}.` : err.message;
    return { status: err.status, message, fields };
  }
  return { status: 503, message: 'The service is not answering right now. Try again in a minute.', fields: {} };
}
