import type { RequestHandler } from './$types';
import { forwardToApi } from '../../../../widget.js/web-chat-proxy.server.js';

/**
 * The widget's public chat API, passed on to the API in native mode (Caddy routes it directly in compose).
 * Only below /api/v1/web-chat: a decoded `..` (from %2E%2E%2F) must not walk the forwarded path elsewhere.
 */
const forward: RequestHandler = ({ request, params, url, getClientAddress, locals }) => {
  const segments = params.path.split('/');
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..')) {
    return Response.json({ error: { code: 'NOT_FOUND', message: 'No such chat route' } }, { status: 404, headers: { 'access-control-allow-origin': '*' } });
  }
  return forwardToApi(request, `/api/v1/web-chat/${segments.map(encodeURIComponent).join('/')}${url.search}`, getClientAddress(), locals.requestId);
};

export const POST = forward;
export const OPTIONS = forward;
