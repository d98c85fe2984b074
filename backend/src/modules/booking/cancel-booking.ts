import type { Transaction } from 'sequelize';
import type { EventBus } from '../../ports/events.js';
import { calendar } from './booking-calendar.js';
import { publishBookingEvent } from './booking-events.js';
import type { Booking } from './booking-types.js';

/** Cancels a booking and frees its time; cancelling again returns it unchanged with no second event. */
export async function cancelBooking(
  tx: Transaction,
  events: EventBus,
  input: { agencyId: string; tenantId: string; bookingId: string; reason?: string },
): Promise<Booking> {
  const { entry, changed } = await calendar.release(tx, { tenantId: input.tenantId, entryId: input.bookingId, reason: input.reason ?? null });
  if (changed) await publishBookingEvent(tx, events, { type: 'booking.cancelled', agencyId: input.agencyId, booking: entry, extra: { reason: input.reason ?? null } });
  return entry;
}
