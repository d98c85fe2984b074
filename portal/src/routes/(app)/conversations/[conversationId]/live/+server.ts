import type { RequestHandler } from './$types';
import { backendJson } from '../../../agency/session-api.server.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EVERY_MS = 1_500;

/**
 * Server-sent events for an open thread: the portal server watches the conversation through the API with
 * the viewer's own session (the browser never holds it) and pushes the message list whenever a message
 * arrives or changes state. Ends when the viewer leaves or the session stops being valid.
 */
export const GET: RequestHandler = async (event) => {
  if (!UUID.test(event.params.conversationId)) return new Response('Not found', { status: 404 });
  const path = `/api/v1/conversations/${event.params.conversationId}/messages?limit=200` as const;
  const encoder = new TextEncoder();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let last = '';
      const tick = async () => {
        try {
          const { messages } = await backendJson<{ messages: { id: string; status: string; updatedAt: string }[] }>(event, 'GET', path);
          const fingerprint = messages.map((m) => `${m.id}:${m.status}:${m.updatedAt}`).join('|');
          if (fingerprint !== last) {
            last = fingerprint;
            controller.enqueue(encoder.encode(`event: messages\ndata: ${JSON.stringify(messages)}\n\n`));
          } else {
            controller.enqueue(encoder.encode(': still here\n\n'));
          }
          timer = setTimeout(() => void tick(), EVERY_MS);
        } catch {
          controller.enqueue(encoder.encode('event: end\ndata: {}\n\n'));
          controller.close();
        }
      };
      void tick();
    },
    cancel() {
      clearTimeout(timer);
    },
  });
  event.request.signal.addEventListener('abort', () => clearTimeout(timer));
  return new Response(stream, { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' } });
};
