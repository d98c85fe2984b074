import type { Transaction } from 'sequelize';
import { AppError } from '../../http/errors.js';
import type { EventBus } from '../../ports/events.js';
import { calendar } from './booking-calendar.js';
import { publishBookingEvent } from './booking-events.js';
import { contactInTenant, selectBookingByKey } from './booking-repository.js';
import { selectService } from './booking-service-repository.js';
import type { Booking } from './booking-types.js';
import { assertBookable } from './check-bookable.js';
import { blockedInterval } from './slot-search.js';

export type CreateBookingInput = {
  agencyId: string; tenantId: string; serviceId: string; contactId: string | null; start: Date;
  source: Booking['source']; notes?: string; idempotencyKey?: string;
};

/** Books a service at `start`; the same idempotency key returns the first booking (no second event). */
export async function createBooking(tx: Transaction, events: EventBus, input: CreateBookingInput): Promise<Booking> {
  return (await createBookingOnce(tx, events, input)).booking;
}

export async function createBookingOnce(tx: Transaction, events: EventBus, input: CreateBookingInput): Promise<{ booking: Booking; created: boolean }> {
  const earlier = await bookedWithKey(tx, input);
  if (earlier) return { booking: earlier, created: false };
  const service = await selectService(tx, { tenantId: input.tenantId, serviceId: input.serviceId });
  if (!service?.active) throw new AppError('NOT_FOUND', 'Service not found');
  // The foreign key alone would accept another tenant's contact (RLS does not apply to FK checks).
  if (input.contactId && !(await contactInTenant(tx, { tenantId: input.tenantId, contactId: input.contactId }))) {
    throw new AppError('NOT_FOUND', 'Contact not found');
  }
  const { timeZone } = await assertBookable(tx, { tenantId: input.tenantId, service, start: input.start }).catch(async (err: unknown) => {
    // A concurrent request with the same key may have committed since the first look: its booking is the answer.
    if (err instanceof AppError && err.code === 'CONFLICT' && (await bookedWithKey(tx, input))) return { timeZone: null };
    throw err;
  });
  if (timeZone === null) return { booking: (await bookedWithKey(tx, input))!, created: false };
  const end = new Date(input.start.getTime() + service.durationMinutes * 60_000);
  const { entry, created } = await calendar.reserve(tx, {
    agencyId: input.agencyId, tenantId: input.tenantId, serviceId: service.id, contactId: input.contactId,
    start: input.start, end, blocked: blockedInterval(input.start, service), source: input.source,
    notes: input.notes ?? null, timeZone, idempotencyKey: input.idempotencyKey,
  });
  if (created) await publishBookingEvent(tx, events, { type: 'booking.created', agencyId: input.agencyId, booking: entry });
  return { booking: entry, created };
}

async function bookedWithKey(tx: Transaction, input: CreateBookingInput): Promise<Booking | undefined> {
  return input.idempotencyKey ? selectBookingByKey(tx, { tenantId: input.tenantId, idempotencyKey: input.idempotencyKey }) : undefined;
}
