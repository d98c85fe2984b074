import { z } from 'zod';
import type { ScopedDeps } from '../../db/scoped-deps.js';
import { actorFrom } from '../../http/request-context.js';
import { defineRoute, type RouteSpec } from '../../http/route-registry.js';
import { emptyQuery } from '../../http/schemas.js';
import { channelAvailability } from './channel-availability.js';

const availabilityView = z.object({
  sms: z.boolean(), whatsapp: z.boolean(), telegram: z.boolean(), whatsappTransport: z.enum(['baileys', 'cloud']),
  details: z.object({ sms: z.string(), whatsapp: z.string(), telegram: z.string() }),
});

export function channelRoutes(deps: ScopedDeps): RouteSpec[] {
  return [
    defineRoute({
      method: 'get', path: '/api/v1/channels/availability', tag: 'messages', scope: 'tenant',
      summary: 'Which channels can send for the tenant now (WhatsApp only with a connected transport)',
      access: { permission: 'tenant.read' },
      query: emptyQuery, response: availabilityView,
      handler: ({ req }) => channelAvailability(deps, { actor: actorFrom(req) }),
    }),
  ];
}
