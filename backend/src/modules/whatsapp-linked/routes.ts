import { z } from 'zod';
import { actorFrom } from '../../http/request-context.js';
import { defineRoute, type RouteSpec } from '../../http/route-registry.js';
import { e164 } from '../provider-credentials/schemas.js';
import { downloadMedia, linkedDeviceHealth, logOutDevice, startPairing, streamPairing, type LinkedDeviceDeps } from './linked-device-use-cases.js';

const manage = { permission: 'tenant.settings.manage' } as const;
const common = { tag: 'whatsapp', scope: 'tenant' } as const;
const health = z.object({
  state: z.enum(['not_linked', 'connecting', 'qr', 'open', 'logged_out', 'banned', 'stopped']), phone: z.string().nullable(), lastError: z.string().nullable(),
  warnings: z.array(z.string()), reconnectAttempts: z.number().int(), pairedAt: z.string().nullable(), updatedAt: z.string().nullable(),
});

// The tenant's WhatsApp number linked as a device (Baileys): pairing by QR or code, health, logout.
export function linkedDeviceRoutes(deps: LinkedDeviceDeps): RouteSpec[] {
  return [
    defineRoute({ ...common, method: 'get', path: '/api/v1/whatsapp/linked-device', summary: 'Health of the linked WhatsApp number (state, last error, warnings)',
      access: { permission: 'tenant.read' }, response: health, handler: ({ req }) => linkedDeviceHealth(deps, { actor: actorFrom(req) }) }),
    defineRoute({ ...common, method: 'post', path: '/api/v1/whatsapp/linked-device/pair', status: 202,
      summary: 'Start linking a WhatsApp number: follow GET .../qr for the QR codes (or the pairing code with phoneNumber)', access: manage,
      body: z.strictObject({ phoneNumber: e164.optional() }), response: health,
      handler: ({ req, body }) => startPairing(deps, { actor: actorFrom(req), phoneNumber: body.phoneNumber }) }),
    // The pairing stream under two names: `/qr` (what operators look for) and `/events` (what the portal uses).
    ...(['qr', 'events'] as const).map((name) => defineRoute({ ...common, method: 'get', path: `/api/v1/whatsapp/linked-device/${name}`,
      summary: `Server-sent events: state, QR codes and the pairing code, until the number is linked${name === 'events' ? ' (same stream as .../qr)' : ''}`,
      access: manage, query: z.strictObject({ maxSeconds: z.coerce.number().int().min(1).max(600).optional() }),
      handler: async ({ req, res, query }) => {
        await streamPairing(deps, { actor: actorFrom(req), res, maxMs: query.maxSeconds ? query.maxSeconds * 1000 : undefined });
        return undefined;
      } })),
    defineRoute({ ...common, method: 'post', path: '/api/v1/whatsapp/linked-device/logout', status: 202, summary: 'Unlink the number (the phone shows it gone)',
      access: manage, body: z.strictObject({}), response: health, handler: ({ req }) => logOutDevice(deps, { actor: actorFrom(req) }) }),
    defineRoute({ method: 'get', path: '/api/v1/messages/:messageId/media', tag: 'messages', scope: 'tenant', summary: 'The photo, voice note or document a contact sent',
      access: { permission: 'tenant.messages.read' }, params: z.strictObject({ messageId: z.uuid() }),
      handler: async ({ req, res, params }) => {
        await downloadMedia(deps, { actor: actorFrom(req), messageId: params.messageId, res });
        return undefined;
      } }),
  ];
}
