import type { ScopedDeps } from '../../db/scoped-deps.js';
import { AppError } from '../../http/errors.js';
import type { Actor } from '../../http/request-context.js';
import { tenantScopeOf } from '../contacts/contact-scope.js';
import { findContact } from '../contacts/contact-repository.js';
import { latestConsentEvents, listConsentEvents, type ConsentEvent } from './consent-repository.js';
import { deriveConsent, type ChannelConsent } from './consent-state.js';

/** A contact's consent now (per channel) and the full ledger behind it, newest first. */
export function listConsentHistory(
  deps: ScopedDeps,
  input: { actor: Actor; contactId: string; limit: number; offset: number },
): Promise<{ current: ChannelConsent[]; events: ConsentEvent[] }> {
  const scope = tenantScopeOf(input.actor);
  return deps.runInScope(scope, async (tx) => {
    const contact = await findContact(tx, { tenantId: scope.tenantId, contactId: input.contactId });
    if (!contact) throw new AppError('NOT_FOUND', 'Contact not found');
    const where = { tenantId: scope.tenantId, contactId: contact.id };
    return {
      current: deriveConsent(await latestConsentEvents(tx, where)),
      events: await listConsentEvents(tx, { ...where, limit: input.limit, offset: input.offset }),
    };
  });
}
