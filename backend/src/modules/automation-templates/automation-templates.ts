import type { ScopedDeps } from '../../db/scoped-deps.js';
import { queryOne, queryRows } from '../../db/sql.js';
import type { Actor } from '../../http/request-context.js';
import { auditOrigin } from '../audit/audit-actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { tenantScopeOf } from '../contacts/contact-scope.js';
import { TEMPLATE_CATALOG, TEMPLATE_KEYS, type TemplateKey } from './template-catalog.js';

export type AutomationTemplate = {
  key: TemplateKey; label: string; usedBy: string; text: string; whatsappTemplate: string | null; whatsappLanguage: string | null; custom: boolean;
};
type Row = { key: TemplateKey; text: string; whatsappTemplate: string | null; whatsappLanguage: string | null };
const COLUMNS = `key, text, whatsapp_template AS "whatsappTemplate", whatsapp_language AS "whatsappLanguage"`;

function effective(key: TemplateKey, row: Row | undefined): AutomationTemplate {
  const base = TEMPLATE_CATALOG[key];
  return {
    key, label: base.label, usedBy: base.usedBy, custom: row !== undefined,
    text: row?.text ?? base.text, whatsappTemplate: row ? row.whatsappTemplate : base.whatsappTemplate, whatsappLanguage: row ? row.whatsappLanguage : base.whatsappLanguage,
  };
}

/** Every template the automations use, as the caller's tenant has it (its own text or the default). */
export async function listTemplates(deps: ScopedDeps, input: { actor: Actor }): Promise<AutomationTemplate[]> {
  const scope = tenantScopeOf(input.actor);
  const rows = await deps.runInScope(scope, (tx) => queryRows<Row>(tx, `SELECT ${COLUMNS} FROM automation_templates WHERE tenant_id = :tenantId`, scope));
  return TEMPLATE_KEYS.map((key) => effective(key, rows.find((r) => r.key === key)));
}

export async function getTemplate(deps: ScopedDeps, input: { actor: Actor; key: TemplateKey }): Promise<AutomationTemplate> {
  const scope = tenantScopeOf(input.actor);
  const row = await deps.runInScope(scope, (tx) => queryOne<Row>(tx, `SELECT ${COLUMNS} FROM automation_templates WHERE tenant_id = :tenantId AND key = :key`, { ...scope, key: input.key }));
  return effective(input.key, row);
}

/** The tenant's own wording (audited); `reset` goes back to the default. */
export async function saveTemplate(
  deps: ScopedDeps,
  input: { actor: Actor; key: TemplateKey; change: { text: string; whatsappTemplate?: string | null; whatsappLanguage?: string | null } | 'reset' },
): Promise<AutomationTemplate> {
  const scope = tenantScopeOf(input.actor);
  await deps.runInScope(scope, async (tx) => {
    if (input.change === 'reset') {
      await queryRows(tx, `DELETE FROM automation_templates WHERE tenant_id = :tenantId AND key = :key`, { ...scope, key: input.key });
    } else {
      const base = TEMPLATE_CATALOG[input.key];
      await queryRows(
        tx,
        `INSERT INTO automation_templates (tenant_id, agency_id, key, text, whatsapp_template, whatsapp_language)
         VALUES (:tenantId, :agencyId, :key, :text, :whatsappTemplate, :whatsappLanguage)
         ON CONFLICT (tenant_id, key) DO UPDATE SET text = EXCLUDED.text, whatsapp_template = EXCLUDED.whatsapp_template,
           whatsapp_language = EXCLUDED.whatsapp_language, updated_at = now()`,
        {
          ...scope, key: input.key, text: input.change.text,
          whatsappTemplate: input.change.whatsappTemplate === undefined ? base.whatsappTemplate : input.change.whatsappTemplate,
          whatsappLanguage: input.change.whatsappLanguage === undefined ? base.whatsappLanguage : input.change.whatsappLanguage,
        },
      );
    }
    await recordAuditEvent(tx, {
      ...scope, ...auditOrigin(input.actor), action: input.change === 'reset' ? 'automation_template.reset' : 'automation_template.updated',
      target: { type: 'automation_template', id: input.key }, after: input.change === 'reset' ? undefined : { ...input.change },
    });
  });
  return getTemplate(deps, { actor: input.actor, key: input.key });
}
