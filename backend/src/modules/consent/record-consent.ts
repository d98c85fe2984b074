import type { Transaction } from 'sequelize';
import type { Channel } from '../../ports/messaging.js';
import type { EventBus } from '../../ports/events.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { AuditEvent } from '../audit/types.js';
import { insertConsentEvent, latestConsentEvents, type ConsentEvent, type ConsentKind } from './consent-repository.js';
import { deriveConsent } from './consent-state.js';

export type ConsentChange = {
  agencyId: string;
  tenantId: string;
  contactId: string;
  channel: Channel;
  kind: ConsentKind;
  /** keyword | form | call | api | import | manual ... */
  source: string;
  wording?: string | null;
  evidence?: Record<string, unknown> | null;
  keyword?: string | null;
  messageId?: string | null;
  occurredAt: Date;
  origin: Pick<AuditEvent, 'actor' | 'requestId' | 'ip'>;
};

/**
 * Appends an opt-in or opt-out to the ledger in the caller's transaction, audits it there too and, when
 * the contact's consent on the channel actually changed, publishes contact.opted_in / contact.opted_out.
 * Every event is kept (a second STOP is evidence too); `changed` tells whether the state moved.
 */
export async function recordConsent(tx: Transaction, events: EventBus, change: ConsentChange): Promise<{ event: ConsentEvent; changed: boolean }> {
  const where = { tenantId: change.tenantId, contactId: change.contactId };
  const stateOn = async () => deriveConsent(await latestConsentEvents(tx, where)).find((c) => c.channel === change.channel)!.state;
  const before = await stateOn();
  const event = await insertConsentEvent(tx, {
    agencyId: change.agencyId,
    tenantId: change.tenantId,
    contactId: change.contactId,
    channel: change.channel,
    kind: change.kind,
    source: change.source,
    wording: change.wording ?? null,
    evidence: change.evidence ?? null,
    keyword: change.keyword ?? null,
    messageId: change.messageId ?? null,
    actor: { type: change.origin.actor.type, id: change.origin.actor.id ?? null },
    occurredAt: change.occurredAt,
  });
  const after = await stateOn();
  await recordAuditEvent(tx, {
    agencyId: change.agencyId,
    tenantId: change.tenantId,
    ...change.origin,
    action: change.kind === 'opt_in' ? 'consent.opted_in' : 'consent.opted_out',
    target: { type: 'contact', id: change.contactId },
    before: { channel: change.channel, consent: before },
    after: { channel: change.channel, consent: after, source: change.source, keyword: change.keyword ?? null, consentEventId: event.id },
  });
  const changed = before !== after;
  if (changed) {
    await events.publish(
      {
        type: after === 'opted_out' ? 'contact.opted_out' : 'contact.opted_in',
        agencyId: change.agencyId,
        tenantId: change.tenantId,
        data: { contactId: change.contactId, channel: change.channel, source: change.source, keyword: change.keyword ?? null, consentEventId: event.id },
      },
      { transaction: tx },
    );
  }
  return { event, changed };
}
