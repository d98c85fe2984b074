import type { Transaction } from 'sequelize';
import { CHANNELS, type Channel } from '../../ports/messaging.js';
import type { ConsentState } from '../policy/policy-types.js';
import { latestConsentEvents, type ConsentEvent } from './consent-repository.js';

export type ChannelConsent = { channel: Channel; state: ConsentState; since: string | null; source: string | null };

/** Current consent per channel, derived from the latest ledger event on each. */
export function deriveConsent(latest: readonly ConsentEvent[]): ChannelConsent[] {
  return CHANNELS.map((channel) => {
    const event = latest.find((e) => e.channel === channel);
    if (!event) return { channel, state: 'unknown', since: null, source: null };
    return { channel, state: event.kind === 'opt_in' ? 'opted_in' : 'opted_out', since: event.occurredAt, source: event.source };
  });
}

export async function consentFor(tx: Transaction, where: { tenantId: string; contactId: string; channel: Channel }): Promise<ConsentState> {
  const states = deriveConsent(await latestConsentEvents(tx, where));
  return states.find((s) => s.channel === where.channel)!.state;
}
