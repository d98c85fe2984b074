import type { ScopedDeps } from '../../db/scoped-deps.js';
import { AppError } from '../../http/errors.js';
import type { Actor } from '../../http/request-context.js';
import type { Channel } from '../../ports/messaging.js';
import type { EventBus } from '../../ports/events.js';
import { auditOrigin } from '../audit/audit-actor.js';
import { tenantScopeOf } from '../contacts/contact-scope.js';
import { findContact } from '../contacts/contact-repository.js';
import { assertOptInHasAddress } from './consent-address-rule.js';
import { latestConsentEvents, type ConsentEvent, type ConsentKind } from './consent-repository.js';
import { deriveConsent, type ChannelConsent } from './consent-state.js';
import { recordConsent } from './record-consent.js';

export type ConsentEvidence = {
  channel: Channel;
  kind: ConsentKind;
  source: string;
  /** The exact wording the contact agreed to (opt-in) or used (opt-out). */
  wording?: string;
  /** Where it happened: form id, call id, page URL, IP... */
  evidence?: Record<string, string | number | boolean>;
  keyword?: string;
  /** When the contact gave or withdrew consent; default now. */
  occurredAt?: string;
};

/** Records an opt-in or opt-out for a contact of the caller's tenant (ledger + audit in one transaction). */
export function recordConsentChange(
  deps: ScopedDeps & { events: EventBus },
  input: { actor: Actor; contactId: string; change: ConsentEvidence },
): Promise<{ event: ConsentEvent; consent: ChannelConsent[] }> {
  const scope = tenantScopeOf(input.actor);
  const { change } = input;
  return deps.runInScope(scope, async (tx) => {
    const contact = await findContact(tx, { tenantId: scope.tenantId, contactId: input.contactId, forUpdate: true });
    if (!contact) throw new AppError('NOT_FOUND', 'Contact not found');
    assertOptInHasAddress(contact, change.channel, change.kind);
    const { event } = await recordConsent(tx, deps.events, {
      ...scope,
      contactId: contact.id,
      channel: change.channel,
      kind: change.kind,
      source: change.source,
      wording: change.wording,
      evidence: change.evidence,
      keyword: change.keyword,
      occurredAt: change.occurredAt ? new Date(change.occurredAt) : new Date(),
      origin: auditOrigin(input.actor),
    });
    return { event, consent: deriveConsent(await latestConsentEvents(tx, { tenantId: scope.tenantId, contactId: contact.id })) };
  });
}
