import type { Transaction } from 'sequelize';
import { selectServices } from './booking-service-repository.js';
import type { BookingService } from './booking-types.js';

/** The services a lead can book (inactive ones are hidden). */
export async function listBookingServices(tx: Transaction, input: { tenantId: string }): Promise<BookingService[]> {
  return selectServices(tx, { tenantId: input.tenantId, activeOnly: true });
}
