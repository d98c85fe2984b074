import type { ScopedDeps } from '../../db/scoped-deps.js';
import { actorFrom } from '../../http/request-context.js';
import { defineRoute, type RouteSpec } from '../../http/route-registry.js';
import { emptyQuery } from '../../http/schemas.js';
import { getMessagingSettingDefaults, getMessagingSettings, updateMessagingSettings } from './messaging-settings-use-cases.js';
import { messagingSettingsBody, messagingSettingsView } from './schemas.js';
import { getSenderPacing, replaceSenderPacing, senderPacingBody } from './sender-pacing-settings.js';

export function messagingSettingsRoutes(deps: ScopedDeps): RouteSpec[] {
  return [
    defineRoute({
      method: 'get', path: '/api/v1/messaging-settings', tag: 'messages', scope: 'tenant',
      summary: 'Sending window, opt-in rules, frequency cap and compliance texts of the tenant',
      access: { permission: 'tenant.read' },
      query: emptyQuery, response: messagingSettingsView,
      handler: ({ req }) => getMessagingSettings(deps, { actor: actorFrom(req) }),
    }),
    defineRoute({
      method: 'put', path: '/api/v1/messaging-settings', tag: 'messages', scope: 'tenant',
      summary: "Replace the tenant's messaging settings (audited)",
      access: { permission: 'tenant.settings.manage' },
      body: messagingSettingsBody, response: messagingSettingsView,
      handler: ({ req, body }) => updateMessagingSettings(deps, { actor: actorFrom(req), settings: body }),
    }),
    defineRoute({
      method: 'get', path: '/api/v1/messaging-settings/defaults', tag: 'messages', scope: 'tenant',
      summary: 'The consent rules and compliance texts a tenant gets when it sets nothing (texts with the business name)',
      access: { permission: 'tenant.read' },
      query: emptyQuery, response: messagingSettingsView,
      handler: ({ req }) => getMessagingSettingDefaults(deps, { actor: actorFrom(req) }),
    }),
    defineRoute({
      method: 'get', path: '/api/v1/messaging-settings/pacing', tag: 'messages', scope: 'tenant',
      summary: 'Per-sender pacing overrides (messages per second); senders without one use the provider default',
      access: { permission: 'tenant.read' },
      query: emptyQuery, response: senderPacingBody,
      handler: ({ req }) => getSenderPacing(deps, { actor: actorFrom(req) }),
    }),
    defineRoute({
      method: 'put', path: '/api/v1/messaging-settings/pacing', tag: 'messages', scope: 'tenant',
      summary: "Replace the tenant's per-sender pacing overrides (audited)",
      access: { permission: 'tenant.settings.manage' },
      body: senderPacingBody, response: senderPacingBody,
      handler: ({ req, body }) => replaceSenderPacing(deps, { actor: actorFrom(req), pacing: body.pacing }),
    }),
  ];
}
