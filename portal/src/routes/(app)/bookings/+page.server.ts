import { randomUUID } from 'node:crypto';
import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { explainFailure } from '../agency/session-api.server.js';
import { bookingActions } from './booking-actions.server.js';
import { calendarWindow, freeSlotsOn, getJson, rangesOf, type Booking, type Hours, type Service, type Slot } from './calendar-data.server.js';
import { dayIn, isDay } from './calendar-time.js';

type ContactOption = { id: string; name: string | null; phone: string | null; email: string | null; telegramChatId: string | null; leadStage: string };

/** The calendar: bookings of the week or day, opening hours, and free times when a service (or a booking to move) is chosen. */
export const load: PageServerLoad = async (event) => {
  try {
    const [hours, { services }, me] = await Promise.all([
      getJson<Hours>(event, '/api/v1/booking/hours'),
      getJson<{ services: Service[] }>(event, '/api/v1/booking/services'),
      getJson<{ permissions: string[] }>(event, '/api/v1/auth/me'),
    ]);
    const { timeZone } = hours;
    const window = await calendarWindow(event, timeZone);
    const range = new URLSearchParams({ from: window.from.toISOString(), to: window.to.toISOString(), limit: '200' });
    const [{ bookings }, { contacts }, dayHours] = await Promise.all([
      getJson<{ bookings: Booking[] }>(event, `/api/v1/bookings?${range}`),
      getJson<{ contacts: ContactOption[] }>(event, '/api/v1/contacts?limit=100').catch(() => ({ contacts: [] as ContactOption[] })),
      getJson<Hours>(event, `/api/v1/booking/hours?from=${window.days[0]}&to=${window.days.at(-1)}`),
    ]);
    const params = event.url.searchParams;
    const serviceId = services.find((s) => s.id === params.get('serviceId') && s.active)?.id ?? null;
    const slotDay = isDay(params.get('slotDate')) ? params.get('slotDate')! : window.date;
    const moveDay = isDay(params.get('moveDate')) ? params.get('moveDate')! : window.date;
    const [slots, moveSlots] = await Promise.all([
      serviceId ? freeSlotsOn(event, serviceId, slotDay, timeZone) : Promise.resolve(null as Slot[] | null),
      window.focus?.status === 'confirmed' && params.has('moveDate') ? freeSlotsOn(event, window.focus.serviceId, moveDay, timeZone) : Promise.resolve(null as Slot[] | null),
    ]);
    return {
      timeZone, view: window.view, date: window.date, focus: window.focus, services, contacts,
      // A booking belongs to the local day its start falls on.
      days: window.days.map((day) => ({ day, ...rangesOf(dayHours, day), bookings: bookings.filter((b) => dayIn(new Date(b.start), timeZone) === day) })),
      create: { serviceId, slotDay, slots, idempotencyKey: randomUUID() },
      move: { day: moveDay, slots: moveSlots },
      canWrite: me.permissions.includes('tenant.bookings.write'),
      canManage: me.permissions.includes('tenant.bookings.manage'),
    };
  } catch (err) {
    error(explainFailure(err).status, explainFailure(err).message);
  }
};

export const actions: Actions = bookingActions;
