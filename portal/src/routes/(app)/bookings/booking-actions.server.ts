import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { ApiError } from '#lib/server/api.js';
import { backendJson, explainFailure } from '../agency/session-api.server.js';
import type { Booking } from './calendar-data.server.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const field = (data: FormData, key: string) => String(data.get(key) ?? '').trim();

/** A refused booking in words a receptionist would use: a 409 means the time went to someone else (or is closed). */
function refusal(err: unknown, action: 'book' | 'move' | 'cancel') {
  if (err instanceof ApiError && err.status === 409) {
    return fail(409, { action, error: 'That time is no longer free: it was just booked, or falls outside the opening hours. Pick another free time.' });
  }
  return fail(explainFailure(err).status, { action, error: explainFailure(err).message });
}

const backTo = (booking: Booking, done: string) => `/bookings?view=day&booking=${booking.id}&done=${done}`;

export const bookingActions = {
  /** Books the chosen free time; the form's idempotency key makes a double submit book once. */
  create: async (event: RequestEvent) => {
    const data = await event.request.formData();
    const serviceId = field(data, 'serviceId');
    const start = field(data, 'start');
    const contactId = field(data, 'contactId');
    const notes = field(data, 'notes');
    if (!UUID.test(serviceId)) return fail(400, { action: 'book' as const, error: 'Choose a service first.' });
    if (!start || Number.isNaN(Date.parse(start))) return fail(400, { action: 'book' as const, error: 'Choose one of the free times.' });
    if (contactId && !UUID.test(contactId)) return fail(400, { action: 'book' as const, error: 'Choose a contact from the list.' });
    let booking: Booking;
    try {
      booking = await backendJson<Booking>(event, 'POST', '/api/v1/bookings',
        { serviceId, start, contactId: contactId || null, ...(notes && { notes }) },
        { 'idempotency-key': `portal-booking:${field(data, 'idempotencyKey').slice(0, 100) || crypto.randomUUID()}` });
    } catch (err) {
      return refusal(err, 'book');
    }
    redirect(303, backTo(booking, 'booked'));
  },
  reschedule: async (event: RequestEvent) => {
    const data = await event.request.formData();
    const bookingId = field(data, 'bookingId');
    const start = field(data, 'start');
    if (!UUID.test(bookingId)) return fail(400, { action: 'move' as const, error: 'Choose a booking first.' });
    if (!start || Number.isNaN(Date.parse(start))) return fail(400, { action: 'move' as const, error: 'Choose one of the free times.' });
    let booking: Booking;
    try {
      booking = await backendJson<Booking>(event, 'POST', `/api/v1/bookings/${bookingId}/reschedule`, { start });
    } catch (err) {
      return refusal(err, 'move');
    }
    redirect(303, backTo(booking, 'moved'));
  },
  cancel: async (event: RequestEvent) => {
    const data = await event.request.formData();
    const bookingId = field(data, 'bookingId');
    const reason = field(data, 'reason').slice(0, 500);
    if (!UUID.test(bookingId)) return fail(400, { action: 'cancel' as const, error: 'Choose a booking first.' });
    let booking: Booking;
    try {
      booking = await backendJson<Booking>(event, 'POST', `/api/v1/bookings/${bookingId}/cancel`, reason ? { reason } : {});
    } catch (err) {
      return refusal(err, 'cancel');
    }
    redirect(303, backTo(booking, 'cancelled'));
  },
};
