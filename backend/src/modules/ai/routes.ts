import { actorFrom } from '../../http/request-context.js';
import { defineRoute, type RouteSpec } from '../../http/route-registry.js';
import { emptyQuery } from '../../http/schemas.js';
import { getAiSettings, saveAiSettings } from './ai-settings.js';
import { generateText, type AiDeps } from './generate-text.js';
import { aiSettingsBody, aiSettingsView, generateBody, generatedView } from './schemas.js';

export function aiRoutes(deps: AiDeps): RouteSpec[] {
  return [
    defineRoute({
      method: 'post', path: '/api/v1/ai/generate', tag: 'ai', scope: 'tenant',
      summary: 'Draft a reply, summarize or classify text with the LLM (metered per call)',
      access: { permission: 'tenant.ai.use' },
      body: generateBody, response: generatedView,
      handler: ({ req, body }) => generateText(deps, { actor: actorFrom(req), ...body }),
    }),
    defineRoute({
      method: 'get', path: '/api/v1/ai/settings', tag: 'ai', scope: 'tenant',
      summary: "The tenant's AI settings (model override, standing instructions)",
      access: { permission: 'tenant.settings.manage' },
      query: emptyQuery, response: aiSettingsView,
      handler: ({ req }) => getAiSettings(deps, { actor: actorFrom(req) }),
    }),
    defineRoute({
      method: 'put', path: '/api/v1/ai/settings', tag: 'ai', scope: 'tenant',
      summary: "Replace the tenant's AI settings (null: the installation default)",
      access: { permission: 'tenant.settings.manage' },
      body: aiSettingsBody, response: aiSettingsView,
      handler: ({ req, body }) => saveAiSettings(deps, { actor: actorFrom(req), ...body }),
    }),
  ];
}
