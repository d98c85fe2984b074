import type { ScopedDeps } from '../../db/scoped-deps.js';
import type { Actor } from '../../http/request-context.js';
import { auditOrigin } from '../audit/audit-actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { DEFAULT_BASE_TEMPLATE, selectBaseTemplate, upsertBaseTemplate } from './base-template.js';

/** The agency's base layer; `custom` false while the built-in default applies. */
export async function getAgentTemplate(deps: ScopedDeps, input: { actor: Actor }): Promise<{ template: string; custom: boolean }> {
  const scope = { agencyId: input.actor.principal.agencyId };
  const stored = await deps.runInScope(scope, (tx) => selectBaseTemplate(tx, scope));
  return { template: stored ?? DEFAULT_BASE_TEMPLATE, custom: stored !== undefined };
}

export async function setAgentTemplate(deps: ScopedDeps, input: { actor: Actor; template: string }): Promise<{ template: string; custom: boolean }> {
  const scope = { agencyId: input.actor.principal.agencyId };
  await deps.runInScope(scope, async (tx) => {
    await upsertBaseTemplate(tx, { ...scope, template: input.template });
    await recordAuditEvent(tx, { ...scope, tenantId: null, ...auditOrigin(input.actor), action: 'agency.agent_template_updated', target: { type: 'agency', id: scope.agencyId }, after: { length: input.template.length } });
  });
  return { template: input.template, custom: true };
}
