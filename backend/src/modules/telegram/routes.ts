import { z } from 'zod';
import { actorFrom } from '../../http/request-context.js';
import { defineRoute, type RouteSpec } from '../../http/route-registry.js';
import { emptyQuery, isoDateTime } from '../../http/schemas.js';
import { connectTelegramBot, disconnectTelegramBot, getTelegramBot, type TelegramDeps } from './telegram-account.js';

const putBody = z.strictObject({ botToken: z.string().trim().regex(/^\d{5,20}:[A-Za-z0-9_-]{30,60}$/, 'must be a bot token from @BotFather (123456789:AA...)') });
const botView = z.object({ provider: z.literal('telegram'), botId: z.string(), username: z.string(), updates: z.enum(['webhook', 'polling']), updatedAt: isoDateTime });

export function telegramRoutes(deps: TelegramDeps): RouteSpec[] {
  const path = '/api/v1/tenant/providers/telegram';
  return [
    defineRoute({
      method: 'put', path, tag: 'providers', scope: 'tenant',
      summary: "Connect the tenant's Telegram bot (token checked with Telegram, stored encrypted, never returned; webhook or long polling set up)",
      access: { permission: 'tenant.settings.manage' }, body: putBody, response: botView,
      handler: ({ req, body }) => connectTelegramBot(deps, { actor: actorFrom(req), botToken: body.botToken }),
    }),
    defineRoute({
      method: 'get', path, tag: 'providers', scope: 'tenant',
      summary: 'The connected Telegram bot (id, username, how updates arrive)',
      access: { permission: 'tenant.settings.manage' }, query: emptyQuery, response: botView,
      handler: ({ req }) => getTelegramBot(deps, { actor: actorFrom(req) }),
    }),
    defineRoute({
      method: 'delete', path, tag: 'providers', scope: 'tenant',
      summary: 'Disconnect the Telegram bot',
      access: { permission: 'tenant.settings.manage' },
      handler: async ({ req }) => {
        await disconnectTelegramBot(deps, { actor: actorFrom(req) });
      },
    }),
  ];
}
