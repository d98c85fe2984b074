import type { Transaction } from 'sequelize';
import type { ScopedDeps } from '../../db/scoped-deps.js';
import type { EventBus } from '../../ports/events.js';
import type { Channel } from '../../ports/messaging.js';
import type { ChannelPolicy } from '../policy/policy-types.js';

/** The pipeline's promise to send (modules/outbox/enqueue-outbox.ts), written in the caller's transaction. */
export type EnqueueOutbox = (
  transaction: Transaction,
  entry: { messageId: string; tenantId: string; channel: Channel; availableAt?: Date | string | null },
) => Promise<void>;

/** What the messaging use cases need from the outside. */
export type MessagingDeps = ScopedDeps & {
  events: EventBus;
  enqueueOutbox: EnqueueOutbox;
  /** The clock (tests pin it). */
  now?: () => Date;
  /** Channel rules for the send policy (WhatsApp's session window, later billing limits, agent handoff). */
  channelRules?: Partial<Record<Channel, readonly ChannelPolicy[]>>;
};

export type { TenantScope } from '../contacts/contact-scope.js';

export const clockOf = (deps: Pick<MessagingDeps, 'now'>): Date => (deps.now ? deps.now() : new Date());
