import type { MessageStatus } from './message-types.js';

// Statuses only move forward. Callbacks arrive out of order (delivered before sent): the later stage wins.
const RANK: Record<MessageStatus, number> = {
  received: 0, denied: 0, deferred: 1, queued: 2, sending: 3, sent: 4, failed: 5, undelivered: 5, dead: 5, delivered: 6, read: 7,
};

/**
 * Whether an outbound message may move from `from` to `to`. A carrier failure is final; a message we
 * gave up on (dead) may still turn out delivered when the provider reports it.
 */
export function canMoveStatus(from: MessageStatus, to: MessageStatus): boolean {
  if (from === 'received' || from === 'denied' || to === 'received' || to === 'denied' || from === to) return false;
  if ((from === 'failed' || from === 'undelivered') && (to === 'delivered' || to === 'read')) return false;
  return RANK[to] > RANK[from];
}

/** Statuses a provider reports (adapters map their vocabulary onto these). */
export const PROVIDER_STATUSES = ['queued', 'sending', 'sent', 'delivered', 'read', 'failed', 'undelivered'] as const;
export type ProviderStatus = (typeof PROVIDER_STATUSES)[number];
