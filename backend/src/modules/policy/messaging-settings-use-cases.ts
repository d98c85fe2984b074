import type { ScopedDeps } from '../../db/scoped-deps.js';
import type { Actor } from '../../http/request-context.js';
import { auditOrigin } from '../audit/audit-actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { findTenant } from '../tenants/tenant-repository.js';
import { complianceTexts, DEFAULT_MESSAGING_SETTINGS, findMessagingSettings, saveMessagingSettings, type MessagingSettings } from './messaging-settings.js';

/** Added after the first clients were written: a PUT without them keeps what is stored. */
type WhatsAppFields = 'whatsappTransport' | 'linkedDeviceSessionWindow' | 'linkedDeviceColdContacts';

function tenantScope(actor: Actor) {
  return { agencyId: actor.principal.agencyId, tenantId: actor.principal.tenantId! };
}

export function getMessagingSettings(deps: ScopedDeps, input: { actor: Actor }): Promise<MessagingSettings> {
  const scope = tenantScope(input.actor);
  return deps.runInScope(scope, (tx) => findMessagingSettings(tx, scope));
}

/** Replaces the tenant's messaging settings (audited with before/after). */
export function updateMessagingSettings(
  deps: ScopedDeps,
  input: { actor: Actor; settings: Omit<MessagingSettings, WhatsAppFields> & Partial<Pick<MessagingSettings, WhatsAppFields>> },
): Promise<MessagingSettings> {
  const scope = tenantScope(input.actor);
  return deps.runInScope(scope, async (tx) => {
    const before = await findMessagingSettings(tx, scope);
    const {
      whatsappTransport = before.whatsappTransport, linkedDeviceSessionWindow = before.linkedDeviceSessionWindow,
      linkedDeviceColdContacts = before.linkedDeviceColdContacts,
    } = input.settings;
    const settings = { ...input.settings, whatsappTransport, linkedDeviceSessionWindow, linkedDeviceColdContacts };
    const after = await saveMessagingSettings(tx, { ...scope, settings });
    await recordAuditEvent(tx, {
      ...scope,
      ...auditOrigin(input.actor),
      action: 'messaging_settings.updated',
      target: { type: 'tenant', id: scope.tenantId },
      before: { ...before },
      after: { ...after },
    });
    return after;
  });
}

/**
 * What a tenant gets when it sets nothing: the default rules, and the compliance texts as they would go out
 * (with the business name). The portal shows them next to the tenant's own values.
 */
export function getMessagingSettingDefaults(deps: ScopedDeps, input: { actor: Actor }) {
  const scope = tenantScope(input.actor);
  return deps.runInScope(scope, async (tx) => {
    const tenant = await findTenant(tx, scope);
    const texts = complianceTexts(DEFAULT_MESSAGING_SETTINGS, tenant?.name ?? 'Your business');
    return {
      ...DEFAULT_MESSAGING_SETTINGS,
      helpText: texts.help, optOutConfirmationText: texts.optOutConfirmation, optInConfirmationText: texts.optInConfirmation,
    };
  });
}
