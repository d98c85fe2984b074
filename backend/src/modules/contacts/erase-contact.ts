import type { ScopedDeps } from '../../db/scoped-deps.js';
import { AppError } from '../../http/errors.js';
import type { Actor } from '../../http/request-context.js';
import type { Channel } from '../../ports/messaging.js';
import { auditOrigin } from '../audit/audit-actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { latestConsentEvents } from '../consent/consent-repository.js';
import { deriveConsent } from '../consent/consent-state.js';
import { insertSuppressions } from '../consent/consent-suppressions.js';
import { eraseContactData } from './contact-erasure-repository.js';
import { findContact, type Contact } from './contact-repository.js';
import { tenantScopeOf } from './contact-scope.js';

export type ErasedContact = { contactId: string; erased: true; optOutsKept: Channel[] };

/**
 * Right to erasure, irreversible: name, e-mail, addresses, notes, message and call contents are removed;
 * messages not sent yet fail. The consent ledger stays as evidence, and each opt-out is kept against a
 * hash of the contact's addresses, so whoever writes from or is sent to that address later is still
 * opted out there until they opt in again. Audited, without the erased data.
 */
export async function eraseContact(deps: ScopedDeps, input: { actor: Actor; contactId: string }): Promise<ErasedContact> {
  const scope = tenantScopeOf(input.actor);
  return deps.runInScope(scope, async (tx) => {
    const contact = await findContact(tx, { tenantId: scope.tenantId, contactId: input.contactId, forUpdate: true });
    if (!contact) throw new AppError('NOT_FOUND', 'Contact not found');
    const optOuts = deriveConsent(await latestConsentEvents(tx, { tenantId: scope.tenantId, contactId: contact.id }))
      .filter((c) => c.state === 'opted_out')
      .map((c) => ({ channel: c.channel, optedOutAt: c.since! }));
    const addresses = addressesOf(contact);
    // Web chat knows a person by contact id only, and the erased contact keeps its id and ledger.
    const suppressions = optOuts.filter((optOut) => optOut.channel !== 'web');
    await insertSuppressions(tx, { ...scope, contactId: contact.id, addresses, optOuts: suppressions });
    await eraseContactData(tx, { tenantId: scope.tenantId, contactId: contact.id, addresses });
    const optOutsKept = optOuts.map((optOut) => optOut.channel);
    await recordAuditEvent(tx, {
      ...scope, ...auditOrigin(input.actor), action: 'contact.erased', target: { type: 'contact', id: contact.id }, after: { optOutsKept },
    });
    return { contactId: contact.id, erased: true, optOutsKept };
  });
}

function addressesOf(contact: Contact): string[] {
  const all = [contact.phone, contact.whatsappId, contact.telegramChatId].filter((a): a is string => !!a);
  return [...new Set(all)];
}
