import type { ScopedDeps } from '../../db/scoped-deps.js';
import { AppError } from '../../http/errors.js';
import type { Actor } from '../../http/request-context.js';
import { auditOrigin } from '../audit/audit-actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { consentFor } from '../consent/consent-state.js';
import { CHANNELS } from '../../ports/messaging.js';
import { contactDataSets, eraseContactData } from './contact-data.js';
import { findContact } from './contact-repository.js';
import { tenantScopeOf } from './contact-scope.js';

/** A data subject access request: everything held about the contact, as one JSON document. Audited. */
export async function exportContact(deps: ScopedDeps, input: { actor: Actor; contactId: string }) {
  const scope = tenantScopeOf(input.actor);
  return deps.runInScope(scope, async (tx) => {
    const contact = await findContact(tx, { tenantId: scope.tenantId, contactId: input.contactId });
    if (!contact) throw new AppError('NOT_FOUND', 'Contact not found');
    const data = await contactDataSets(tx, { tenantId: scope.tenantId, contactId: contact.id });
    await recordAuditEvent(tx, { ...scope, ...auditOrigin(input.actor), action: 'contact.exported', target: { type: 'contact', id: contact.id } });
    return { exportedAt: new Date().toISOString(), contact, ...data };
  });
}

/**
 * Right to erasure: irreversible. Names, e-mail, notes, message and call contents are removed; the consent
 * history keeps its kinds and times, and a contact who opted out keeps its addresses so the opt-out still
 * applies (a later send to the same number stays denied). Audited without the erased data.
 */
export async function eraseContact(deps: ScopedDeps, input: { actor: Actor; contactId: string }) {
  const scope = tenantScopeOf(input.actor);
  return deps.runInScope(scope, async (tx) => {
    const contact = await findContact(tx, { tenantId: scope.tenantId, contactId: input.contactId, forUpdate: true });
    if (!contact) throw new AppError('NOT_FOUND', 'Contact not found');
    let optedOut = false;
    for (const channel of CHANNELS) {
      if ((await consentFor(tx, { tenantId: scope.tenantId, contactId: contact.id, channel })) === 'opted_out') optedOut = true;
    }
    await eraseContactData(tx, { tenantId: scope.tenantId, contactId: contact.id, keepAddresses: optedOut });
    await recordAuditEvent(tx, {
      ...scope, ...auditOrigin(input.actor), action: 'contact.erased', target: { type: 'contact', id: contact.id }, after: { addressesKeptForOptOut: optedOut },
    });
    return { contactId: contact.id, erased: true, addressesKeptForOptOut: optedOut };
  });
}
