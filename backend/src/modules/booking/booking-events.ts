import type { Transaction } from 'sequelize';
import type { EventBus } from '../../ports/events.js';
import type { Booking } from './booking-types.js';

export const BOOKING_EVENT_TYPES = ['booking.created', 'booking.rescheduled', 'booking.cancelled'] as const;
export type BookingEventType = (typeof BOOKING_EVENT_TYPES)[number];

/** Publishes in the booking's own transaction: the event exists exactly when the change committed. */
export async function publishBookingEvent(
  tx: Transaction,
  events: EventBus,
  input: { type: BookingEventType; agencyId: string; booking: Booking; extra?: Record<string, unknown> },
): Promise<void> {
  const b = input.booking;
  await events.publish({
    type: input.type, agencyId: input.agencyId, tenantId: b.tenantId,
    data: {
      bookingId: b.id, serviceId: b.serviceId, contactId: b.contactId, start: b.start.toISOString(), end: b.end.toISOString(),
      timeZone: b.timeZone, source: b.source, ...input.extra,
    },
  }, { transaction: tx });
}
