import type { ScopedDeps } from '../../db/scoped-deps.js';
import { AppError } from '../../http/errors.js';
import type { Actor } from '../../http/request-context.js';
import { latestConsentEvents } from '../consent/consent-repository.js';
import { deriveConsent, type ChannelConsent } from '../consent/consent-state.js';
import { findMessagingSettings } from '../policy/messaging-settings.js';
import { findTenant } from '../tenants/tenant-repository.js';
import { defaultCountryFor } from './contact-addresses.js';
import { findContact, findContactByAddress, searchContacts as selectContacts, type Contact } from './contact-repository.js';
import { tenantScopeOf } from './contact-scope.js';
import { normalizePhone } from './phone-number.js';

/** A contact of the caller's tenant with its current consent per channel; 404 for anyone else's. */
export function getContact(deps: ScopedDeps, input: { actor: Actor; contactId: string }): Promise<Contact & { consent: ChannelConsent[] }> {
  const scope = tenantScopeOf(input.actor);
  return deps.runInScope(scope, async (tx) => {
    const contact = await findContact(tx, { tenantId: scope.tenantId, contactId: input.contactId });
    if (!contact) throw new AppError('NOT_FOUND', 'Contact not found');
    return { ...contact, consent: deriveConsent(await latestConsentEvents(tx, { tenantId: scope.tenantId, contactId: contact.id })) };
  });
}

/**
 * The contact with exactly this number: typed numbers are normalized to E.164 the way create-or-update
 * reads them (tenant's country for numbers without +country code). 404 when none; 400 when unreadable.
 */
export function getContactByPhone(deps: ScopedDeps, input: { actor: Actor; phone: string }): Promise<Contact & { consent: ChannelConsent[] }> {
  const scope = tenantScopeOf(input.actor);
  return deps.runInScope(scope, async (tx) => {
    const defaultCountry = defaultCountryFor(await findMessagingSettings(tx, scope), await findTenant(tx, scope));
    const { e164 } = normalizePhone(input.phone, defaultCountry, 'query.phone');
    const contact = await findContactByAddress(tx, { tenantId: scope.tenantId, column: 'phone', value: e164 });
    if (!contact) throw new AppError('NOT_FOUND', 'No contact has this phone number', { phone: e164 });
    return { ...contact, consent: deriveConsent(await latestConsentEvents(tx, { tenantId: scope.tenantId, contactId: contact.id })) };
  });
}

export function searchContacts(
  deps: ScopedDeps,
  input: { actor: Actor; q?: string; leadStage?: string; limit: number; offset: number },
): Promise<Contact[]> {
  const scope = tenantScopeOf(input.actor);
  return deps.runInScope(scope, (tx) => selectContacts(tx, { tenantId: scope.tenantId, q: input.q, leadStage: input.leadStage, limit: input.limit, offset: input.offset }));
}
