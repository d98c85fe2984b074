// Port: the internal event bus. Every domain event goes through `publish`; subscribers are internal
// handlers (later: the AI agent runtime) and external webhook subscriptions (n8n), delivered signed and retried.
export const EVENT_TYPES = [
  'message.received',
  'message.status',
  'call.missed',
  'call.completed',
  'contact.opted_out',
  'contact.opted_in',
  'payment.succeeded',
  'payment.pending',
  'payment.failed',
  'payment.expired',
  'booking.created',
  'booking.rescheduled',
  'booking.cancelled',
  'agent.handoff',
  'whatsapp.session',
  'agent.turn_failed',
  'system.alert',
  // Stripe-billed subscriptions (modules/subscriptions): what Stripe's webhooks and the nightly reconcile changed.
  'subscription.created',
  'subscription.updated',
  'subscription.past_due',
  'subscription.restricted',
  'subscription.recovered',
  'subscription.canceled',
  // A business created its own tenant through self sign-up (modules/self-signup).
  'tenant.signed_up',
] as const;
export type EventType = (typeof EVENT_TYPES)[number] | `${string}.${string}`;

export type DomainEvent<T = Record<string, unknown>> = {
  /** Unique per event (UUID); external deliveries carry it so receivers can deduplicate. */
  id: string;
  type: EventType;
  agencyId: string;
  tenantId: string;
  occurredAt: string; // ISO 8601
  data: T;
};

export interface EventBus {
  /** Durable: the event is stored (outbox) in the caller's transaction when one is given. */
  publish(event: Omit<DomainEvent, 'id' | 'occurredAt'>, options?: { transaction?: unknown }): Promise<DomainEvent>;
}
