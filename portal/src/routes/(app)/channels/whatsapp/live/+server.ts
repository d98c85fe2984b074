import QRCode from 'qrcode';
import type { RequestHandler } from './$types';
import { backendFetch } from '../../../agency/session-api.server.js';

/**
 * The "link WhatsApp" screen's live feed: the API's event stream (state, QR, pairing code) passed through
 * with each QR turned into an SVG image here, so the browser needs no QR library and never sees the API.
 */
export const GET: RequestHandler = async (event) => {
  const upstream = await backendFetch(event, 'GET', '/api/v1/whatsapp/linked-device/events?maxSeconds=300');
  if (!upstream.ok || !upstream.body) return new Response('event: end\ndata: {}\n\n', { headers: { 'content-type': 'text/event-stream' } });
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let buffer = '';
  const transform = new TransformStream<Uint8Array, Uint8Array>({
    async transform(chunk, controller) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const name = /^event: (.+)$/m.exec(block)?.[1];
        const data = /^data: (.+)$/m.exec(block)?.[1];
        if (!name || !data) continue; // keep-alive comments
        const payload = JSON.parse(data) as { qr?: string };
        const out = name === 'qr' && payload.qr ? { svg: await QRCode.toString(payload.qr, { type: 'svg', margin: 1, errorCorrectionLevel: 'L' }) } : payload;
        controller.enqueue(encoder.encode(`event: ${name}\ndata: ${JSON.stringify(out)}\n\n`));
      }
    },
    flush(controller) {
      controller.enqueue(encoder.encode('event: end\ndata: {}\n\n'));
    },
  });
  return new Response(upstream.body.pipeThrough(transform), { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' } });
};
