import { randomUUID } from 'node:crypto';
import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit/hooks';
import type { RequestEvent } from '@sveltejs/kit';
import { createApi } from '#lib/server/api.js';
import { config } from '#lib/server/config.js';

/** Same rule as the backend, so an id chosen by the proxy survives the whole trip. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

// The Content-Security-Policy (with frame-ancestors 'none') is set by SvelteKit: see vite.config.ts.
// HSTS belongs to the TLS-terminating proxy.
const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};

/** The web chat widget, passed on to the API in native mode: other sites load it, so no framing rules. */
const EMBEDDABLE = /^\/(?:widget\.js$|api\/v1\/web-chat(?:\/|$))/;
const EMBEDDABLE_HEADERS = new Set(['x-content-type-options', 'referrer-policy']);

/** Refuses to start without the secret: the API would count every visitor as the portal (one shared budget). */
export const init: ServerInit = () => {
  if (config.clientAddressSecret.length < 32) {
    throw new Error('CLIENT_ADDRESS_SECRET must be set to the API\'s value (at least 32 characters): the portal vouches for visitors\' addresses with it');
  }
};

function clientAddressOf(event: RequestEvent): string {
  try {
    return event.getClientAddress();
  } catch {
    return '';
  }
}

export const handle: Handle = async ({ event, resolve }) => {
  const incoming = event.request.headers.get('x-request-id');
  const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  event.locals.requestId = requestId;
  // The visitor's address (behind Caddy: ADDRESS_HEADER/XFF_DEPTH tell adapter-node where to find it),
  // signed on the way to the API so its per-address limits count this visitor, not the portal.
  // A request that did not come through Caddy (the container's healthcheck) has no such header: adapter-node then
  // throws, and the call goes to the API without a vouched-for address (the API counts it as the portal's).
  event.locals.clientAddress = clientAddressOf(event);
  const clientAddress = event.locals.clientAddress ? { address: event.locals.clientAddress, secret: config.clientAddressSecret } : undefined;
  event.locals.api = createApi({ baseUrl: config.backendUrl, timeoutMs: config.backendTimeoutMs, requestId, clientAddress });

  const response = await resolve(event);
  response.headers.set('x-request-id', requestId);
  const embeddable = EMBEDDABLE.test(event.url.pathname);
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    if (!embeddable || EMBEDDABLE_HEADERS.has(name)) response.headers.set(name, value);
  }
  return response;
};

export const handleError: HandleServerError = ({ kind, error, event }) => {
  const requestId = event.locals.requestId;
  if (kind !== 'unknown') return { requestId };
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  console.error(JSON.stringify({ level: 'error', msg: 'unhandled error', requestId, path: event.url.pathname, err: detail }));
  return { requestId, message: 'Something went wrong on our side. Please try again in a moment.' };
};
