import type { Transaction } from 'sequelize';
import { AppError } from '../../http/errors.js';
import { calendar } from './booking-calendar.js';
import type { BookingService } from './booking-types.js';
import { blockedInterval, canStartAt } from './slot-search.js';

/**
 * Refuses a start outside opening hours, in the past or on taken time (CONFLICT, as the contract says).
 * The database's exclusion constraint still decides races; this gives the clearer answer first.
 */
export async function assertBookable(
  tx: Transaction,
  input: { tenantId: string; service: BookingService; start: Date; ignoreBookingId?: string },
): Promise<{ timeZone: string }> {
  const blocked = blockedInterval(input.start, input.service);
  const availability = await calendar.availability(tx, {
    tenantId: input.tenantId, from: new Date(blocked.start.getTime() - 86_400_000), to: new Date(blocked.end.getTime() + 86_400_000),
    ignoreEntryId: input.ignoreBookingId,
  });
  if (!canStartAt({ ...availability, ...input.service, now: new Date() }, input.start)) {
    throw new AppError('CONFLICT', 'That time is not available (outside opening hours, in the past or already booked)');
  }
  return { timeZone: availability.timeZone };
}
