import type { RequestHandler } from './$types';
import { forwardToApi } from './web-chat-proxy.server.js';

/** The widget script (served by the API; see web-chat-proxy.server.ts for why the portal passes it on). */
export const GET: RequestHandler = ({ request, getClientAddress, locals }) => forwardToApi(request, '/widget.js', getClientAddress(), locals.requestId);
