import type { ScopedDeps } from '../../db/scoped-deps.js';
import { AppError } from '../../http/errors.js';
import type { Actor } from '../../http/request-context.js';
import { auditOrigin } from '../audit/audit-actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { contactDataSets } from './contact-data.js';
import { findContact } from './contact-repository.js';
import { tenantScopeOf } from './contact-scope.js';

/**
 * A data subject access request: everything the caller's tenant holds about the contact, as one JSON
 * document. Another tenant's contact is not found. Audited (who exported whom, not what).
 */
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
