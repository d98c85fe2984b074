import type { RequestHandler } from './$types';
import { forwardToApi } from '../../../../widget.js/web-chat-proxy.server.js';

/** The widget's public chat API, passed on to the API in native mode (Caddy routes it directly in compose). */
const forward: RequestHandler = ({ request, params, url, getClientAddress, locals }) =>
  forwardToApi(request, `/api/v1/web-chat/${params.path}${url.search}`, getClientAddress(), locals.requestId);

export const POST = forward;
export const OPTIONS = forward;
