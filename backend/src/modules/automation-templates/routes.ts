import { z } from 'zod';
import type { ScopedDeps } from '../../db/scoped-deps.js';
import { actorFrom } from '../../http/request-context.js';
import { defineRoute, type RouteSpec } from '../../http/route-registry.js';
import { getTemplate, listTemplates, saveTemplate } from './automation-templates.js';
import { TEMPLATE_KEYS } from './template-catalog.js';

const keyParams = z.strictObject({ key: z.enum(TEMPLATE_KEYS as [string, ...string[]]) });
const view = z.object({
  key: z.string(), label: z.string(), usedBy: z.string(), text: z.string(), whatsappTemplate: z.string().nullable(), whatsappLanguage: z.string().nullable(), custom: z.boolean(),
});
const common = { tag: 'automation-templates', scope: 'tenant' } as const;
type Key = (typeof TEMPLATE_KEYS)[number];

// The wording of the shipped automations, per tenant (the workflows read it with Switchboard CRM → Template → Get).
export function automationTemplateRoutes(deps: ScopedDeps): RouteSpec[] {
  return [
    defineRoute({ ...common, method: 'get', path: '/api/v1/automation-templates', summary: 'The messages the automations send (own text or the default)',
      access: { permission: 'tenant.read' }, response: z.object({ templates: z.array(view) }),
      handler: async ({ req }) => ({ templates: await listTemplates(deps, { actor: actorFrom(req) }) }) }),
    defineRoute({ ...common, method: 'get', path: '/api/v1/automation-templates/:key', summary: 'One automation message (what a workflow sends)',
      access: { permission: 'tenant.read' }, params: keyParams, response: view,
      handler: ({ req, params }) => getTemplate(deps, { actor: actorFrom(req), key: params.key as Key }) }),
    defineRoute({ ...common, method: 'put', path: '/api/v1/automation-templates/:key', summary: 'Set the tenant’s own wording (audited)',
      access: { permission: 'tenant.settings.manage' }, params: keyParams, response: view,
      body: z.strictObject({
        text: z.string().trim().min(1).max(1600),
        whatsappTemplate: z.string().regex(/^[a-z0-9_]{1,100}$/, 'an approved WhatsApp template name: lowercase letters, digits and _').nullable().optional(),
        whatsappLanguage: z.string().regex(/^[a-z]{2}(_[A-Z]{2})?$/, 'a language code like en or pt_BR').nullable().optional(),
      }),
      handler: ({ req, params, body }) => saveTemplate(deps, { actor: actorFrom(req), key: params.key as Key, change: body }) }),
    defineRoute({ ...common, method: 'delete', path: '/api/v1/automation-templates/:key', summary: 'Back to the default wording (audited)',
      access: { permission: 'tenant.settings.manage' }, params: keyParams, response: view,
      handler: ({ req, params }) => saveTemplate(deps, { actor: actorFrom(req), key: params.key as Key, change: 'reset' }) }),
  ];
}
