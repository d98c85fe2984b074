import type { ScopedDeps } from '../../db/scoped-deps.js';
import { isUniqueViolation } from '../../db/sql.js';
import { AppError } from '../../http/errors.js';
import type { Actor } from '../../http/request-context.js';
import { findMessagingSettings } from '../policy/messaging-settings.js';
import { findTenant } from '../tenants/tenant-repository.js';
import { contactForPhone, defaultCountryFor } from './contact-addresses.js';
import type { Contact, ContactFields } from './contact-repository.js';
import { tenantScopeOf } from './contact-scope.js';

export type SaveContactInput = ContactFields & { phone: string; timeZone?: string };

/**
 * Create-or-update by phone: the number is normalized to E.164 (read in the tenant's country when typed
 * without +country code), so "(415) 555-0100" and "+14155550100" are the same contact.
 */
export async function saveContact(deps: ScopedDeps, input: { actor: Actor; contact: SaveContactInput }): Promise<{ contact: Contact; created: boolean }> {
  const scope = tenantScopeOf(input.actor);
  const { phone, timeZone, ...fields } = input.contact;
  try {
    return await deps.runInScope(scope, async (tx) => {
      const defaultCountry = defaultCountryFor(await findMessagingSettings(tx, scope), await findTenant(tx, scope));
      return contactForPhone(tx, { ...scope, phone, defaultCountry, fields, manualTimeZone: timeZone });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('CONFLICT', 'Another contact already has this WhatsApp id or Telegram chat id');
    throw err;
  }
}
