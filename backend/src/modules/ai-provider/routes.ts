import { z } from 'zod';
import { actorFrom } from '../../http/request-context.js';
import { defineRoute, type RouteSpec } from '../../http/route-registry.js';
import { emptyQuery } from '../../http/schemas.js';
import { clearProviderSettings, getProviderSettings, saveProviderSettings, type ProviderSettingsDeps } from './manage-provider-settings.js';
import { providerOverview, providerSettingsBody, providerSettingsView, providerTestResult } from './schemas.js';
import { testProviderSettings } from './test-provider.js';

const LEVELS = [
  { path: '/api/v1/agency/ai-provider', scope: 'agency', permission: 'agency.ai.manage', who: "The agency's default AI model for every client business" },
  { path: '/api/v1/ai/provider', scope: 'tenant', permission: 'tenant.settings.manage', who: "This business's own AI model (overrides the agency's)" },
] as const;

// The AI model (OpenAI-compatible endpoint) per agency, with an optional per-tenant override; LLM_* env
// is the default when neither is saved. The same four routes at both levels.
export function aiProviderRoutes(deps: ProviderSettingsDeps): RouteSpec[] {
  return LEVELS.flatMap(({ path, scope, permission, who }) => {
    const common = { tag: 'ai', scope, access: { permission } } as const;
    return [
      defineRoute({ ...common, method: 'get', path, summary: `${who}: what is saved and what applies (tenant, agency or env)`,
        query: emptyQuery, response: providerOverview,
        handler: ({ req }) => getProviderSettings(deps, { actor: actorFrom(req) }) }),
      defineRoute({ ...common, method: 'put', path, summary: `${who}: save base URL, API key (stored encrypted, never returned), model and fallback model`,
        body: providerSettingsBody, response: providerSettingsView,
        handler: ({ req, body }) => saveProviderSettings(deps, { actor: actorFrom(req), body }) }),
      defineRoute({ ...common, method: 'delete', path, summary: `${who}: remove (back to the next level's model)`,
        handler: async ({ req }) => { await clearProviderSettings(deps, { actor: actorFrom(req) }); } }),
      defineRoute({ ...common, method: 'post', path: `${path}/test`, summary: `${who}: ask the model a small question; its answer, or 502/503 with the provider's error`,
        body: z.strictObject({}), response: providerTestResult,
        handler: ({ req }) => testProviderSettings(deps, { actor: actorFrom(req) }) }),
    ];
  });
}
