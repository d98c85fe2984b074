import type { Transaction } from 'sequelize';
import { AppError } from '../../http/errors.js';
import type { EventBus } from '../../ports/events.js';
import { calendar } from './booking-calendar.js';
import { publishBookingEvent } from './booking-events.js';
import { selectBooking } from './booking-repository.js';
import { selectService } from './booking-service-repository.js';
import type { Booking } from './booking-types.js';
import { assertBookable } from './check-bookable.js';
import { blockedInterval } from './slot-search.js';

/** Moves a confirmed booking to `start` (its own old time does not count as taken). */
export async function rescheduleBooking(
  tx: Transaction,
  events: EventBus,
  input: { agencyId: string; tenantId: string; bookingId: string; start: Date },
): Promise<Booking> {
  const booking = await selectBooking(tx, input);
  if (!booking || booking.status !== 'confirmed') throw new AppError('NOT_FOUND', 'No confirmed booking with this id');
  const service = await selectService(tx, { tenantId: input.tenantId, serviceId: booking.serviceId });
  if (!service) throw new AppError('NOT_FOUND', 'Service not found');
  await assertBookable(tx, { tenantId: input.tenantId, service, start: input.start, ignoreBookingId: booking.id });
  const moved = await calendar.move(tx, {
    tenantId: input.tenantId, entryId: booking.id, start: input.start,
    end: new Date(input.start.getTime() + service.durationMinutes * 60_000), blocked: blockedInterval(input.start, service),
  });
  await publishBookingEvent(tx, events, {
    type: 'booking.rescheduled', agencyId: input.agencyId, booking: moved,
    extra: { previousStart: booking.start.toISOString(), previousEnd: booking.end.toISOString() },
  });
  return moved;
}
