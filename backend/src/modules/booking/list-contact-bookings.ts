import type { Transaction } from 'sequelize';
import { selectBookings } from './booking-repository.js';
import type { Booking } from './booking-types.js';

/** A contact's bookings, earliest first; upcomingOnly: confirmed ones not yet over. */
export async function listContactBookings(
  tx: Transaction,
  input: { tenantId: string; contactId: string; upcomingOnly?: boolean },
): Promise<Booking[]> {
  return selectBookings(tx, {
    tenantId: input.tenantId, contactId: input.contactId,
    ...(input.upcomingOnly ? { from: new Date(), status: 'confirmed' as const } : {}),
  });
}
