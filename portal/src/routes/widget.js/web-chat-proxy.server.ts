/**
 * The embeddable chat widget through the portal's own address. The snippet on the Agents page uses the
 * portal's origin: behind Caddy (compose) /widget.js and /api/v1/web-chat/* never reach the portal, and in
 * native mode (no proxy in front) the portal forwards them to the API, so the same snippet works in both.
 */
import { clientAddressHeaders } from '#lib/server/client-address.js';
import { config } from '#lib/server/config.js';

/** Headers the widget's answers need, copied from the API's answer (CORS for the tenant's own site). */
const PASSED_BACK = ['content-type', 'cache-control', 'retry-after', 'access-control-allow-origin', 'access-control-allow-methods',
  'access-control-allow-headers', 'access-control-max-age', 'cross-origin-resource-policy', 'x-request-id'];

export async function forwardToApi(request: Request, path: `/${string}`, visitor: string, requestId: string): Promise<Response> {
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD' && request.method !== 'OPTIONS';
  let answer: Response;
  try {
    answer = await fetch(`${config.backendUrl}${path}`, {
      method: request.method,
      headers: {
        accept: request.headers.get('accept') ?? '*/*',
        ...(hasBody ? { 'content-type': request.headers.get('content-type') ?? 'application/json' } : {}),
        'x-request-id': requestId,
        // Vouched for (CLIENT_ADDRESS_SECRET): the API trusts no X-Forwarded-For from the portal, and its
        // per-address chat limit must count each visitor, not the portal.
        ...clientAddressHeaders({ address: visitor, secret: config.clientAddressSecret }),
      },
      body: hasBody ? await request.text() : undefined,
      signal: AbortSignal.timeout(config.backendTimeoutMs * 2),
    });
  } catch {
    return Response.json({ error: { code: 'BACKEND_UNREACHABLE', message: 'The chat is not available right now' } }, {
      status: 503, headers: { 'access-control-allow-origin': '*' },
    });
  }
  const headers = new Headers();
  for (const name of PASSED_BACK) {
    const value = answer.headers.get(name);
    if (value) headers.set(name, value);
  }
  return new Response(answer.status === 204 ? null : await answer.arrayBuffer(), { status: answer.status, headers });
}
