import type { ScopedDeps } from '../../db/scoped-deps.js';
import { isUniqueViolation } from '../../db/sql.js';
import { AppError } from '../../http/errors.js';
import type { Actor } from '../../http/request-context.js';
import { findMessagingSettings } from '../policy/messaging-settings.js';
import { findTenant } from '../tenants/tenant-repository.js';
import { defaultCountryFor } from './contact-addresses.js';
import { findContact, updateContact, type Contact } from './contact-repository.js';
import { tenantScopeOf } from './contact-scope.js';
import { normalizePhone } from './phone-number.js';
import { timeZoneForNumber } from './time-zone-for-number.js';

export type ContactEdit = {
  name?: string | null;
  email?: string | null;
  leadStage?: string;
  notes?: string | null;
  phone?: string;
  whatsappId?: string | null;
  telegramChatId?: string | null;
  /** A zone sets it by hand (wins over inference); null goes back to the zone inferred from the number. */
  timeZone?: string | null;
};

/** Changes the given fields; a new number is normalized and, unless the zone was set by hand, re-inferred. */
export async function editContact(deps: ScopedDeps, input: { actor: Actor; contactId: string; edit: ContactEdit }): Promise<Contact> {
  const scope = tenantScopeOf(input.actor);
  const { phone, timeZone, ...fields } = input.edit;
  try {
    return await deps.runInScope(scope, async (tx) => {
      const before = await findContact(tx, { tenantId: scope.tenantId, contactId: input.contactId, forUpdate: true });
      if (!before) throw new AppError('NOT_FOUND', 'Contact not found');
      const patch: Parameters<typeof updateContact>[1]['patch'] = { ...fields };
      let number = before.phone ? { e164: before.phone, country: before.country ?? undefined } : undefined;
      if (phone !== undefined) {
        number = normalizePhone(phone, defaultCountryFor(await findMessagingSettings(tx, scope), await findTenant(tx, scope)));
        Object.assign(patch, { phone: number.e164, country: number.country ?? null });
      }
      if (timeZone) Object.assign(patch, { timeZone, timeZoneSource: 'manual' });
      else if (timeZone === null || (phone !== undefined && before.timeZoneSource !== 'manual')) {
        const inferred = number && timeZoneForNumber(number.e164, number.country);
        Object.assign(patch, { timeZone: inferred ?? null, timeZoneSource: inferred ? 'inferred' : null });
      }
      return (await updateContact(tx, { tenantId: scope.tenantId, contactId: before.id, patch }))!;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('CONFLICT', 'Another contact already has this phone number or chat id');
    throw err;
  }
}
