import type { Transaction } from 'sequelize';
import { AppError } from '../../http/errors.js';
import { calendar } from './booking-calendar.js';
import { selectService } from './booking-service-repository.js';
import type { FreeSlot } from './booking-types.js';
import { blockedInterval, findSlots } from './slot-search.js';

/** Longest window one search may cover: keeps a search to a few hundred candidate slots a day at most. */
export const MAX_SEARCH_DAYS = 62;

/** Free starts for an active service between `from` and `to`, earliest first, none in the past. */
export async function findFreeSlots(
  tx: Transaction,
  input: { tenantId: string; serviceId: string; from: Date; to: Date; limit?: number; ignoreBookingId?: string; now?: Date },
): Promise<FreeSlot[]> {
  if (!(input.from < input.to)) throw new AppError('VALIDATION_FAILED', 'from must be before to', [{ path: 'query.to', message: 'must be after from' }]);
  if (input.to.getTime() - input.from.getTime() > MAX_SEARCH_DAYS * 86_400_000) {
    throw new AppError('VALIDATION_FAILED', 'The search window is too long', [{ path: 'query.to', message: `at most ${MAX_SEARCH_DAYS} days after from` }]);
  }
  const service = await selectService(tx, { tenantId: input.tenantId, serviceId: input.serviceId });
  if (!service?.active) throw new AppError('NOT_FOUND', 'Service not found');
  // Busy intervals reaching into the window through the service's own buffers matter too.
  const reach = blockedInterval(input.from, { ...service, durationMinutes: 0 });
  const availability = await calendar.availability(tx, {
    tenantId: input.tenantId, from: reach.start, to: new Date(input.to.getTime() + (service.durationMinutes + service.bufferAfterMinutes) * 60_000),
    ignoreEntryId: input.ignoreBookingId,
  });
  return findSlots({ ...availability, ...service, from: input.from, to: input.to, now: input.now ?? new Date(), limit: input.limit });
}
