import type { RequestEvent } from '@sveltejs/kit';
import { backendJson } from '../agency/session-api.server.js';
import { addDays, dayIn, isDay, startOfDay, weekOf } from './calendar-time.js';

export type Range = { start: string; end: string };
export type Service = { id: string; name: string; durationMinutes: number; bufferBeforeMinutes: number; bufferAfterMinutes: number; priceCents: number | null; currency: string | null; active: boolean };
export type Booking = { id: string; serviceId: string; contactId: string | null; start: string; end: string; status: 'confirmed' | 'cancelled'; source: string; notes: string | null; timeZone: string };
export type Hours = { timeZone: string; weekly: { weekday: number; ranges: Range[] }[]; exceptions: { date: string; ranges: Range[]; reason?: string | null }[] };
export type Slot = { start: string; end: string };
type Context = Pick<RequestEvent, 'cookies' | 'locals' | 'fetch' | 'url'>;

export const getJson = <T>(event: Context, path: `/${string}`) => backendJson<T>(event, 'GET', path);

/** Which days the calendar shows: the week (Monday first) or the single day around `?date`, or around `?booking`'s start. */
export async function calendarWindow(event: Context, timeZone: string) {
  const view = event.url.searchParams.get('view') === 'day' ? ('day' as const) : ('week' as const);
  const focusId = event.url.searchParams.get('booking');
  const focus = focusId && /^[0-9a-f-]{36}$/i.test(focusId) ? await getJson<Booking>(event, `/api/v1/bookings/${focusId}`).catch(() => null) : null;
  const asked = event.url.searchParams.get('date');
  const date = focus ? dayIn(new Date(focus.start), timeZone) : isDay(asked) ? asked : dayIn(new Date(), timeZone);
  const days = view === 'week' ? weekOf(date) : [date];
  return { view, date, days, focus, from: startOfDay(days[0]!, timeZone), to: startOfDay(addDays(days.at(-1)!, 1), timeZone) };
}

/** Free start times of a service on one day of the business (the API leaves out taken and past times). */
export async function freeSlotsOn(event: Context, serviceId: string, day: string, timeZone: string): Promise<Slot[]> {
  const query = new URLSearchParams({ serviceId, from: startOfDay(day, timeZone).toISOString(), to: startOfDay(addDays(day, 1), timeZone).toISOString(), limit: '96' });
  return (await getJson<{ slots: Slot[] }>(event, `/api/v1/booking/slots?${query}`)).slots;
}

/** The opening ranges of a day: its exception when there is one, else the weekday's hours. */
export function rangesOf(hours: Hours, day: string): { ranges: Range[]; reason: string | null; exception: boolean } {
  const exception = hours.exceptions.find((e) => e.date === day);
  if (exception) return { ranges: exception.ranges, reason: exception.reason ?? null, exception: true };
  const weekday = new Date(`${day}T12:00:00Z`).getUTCDay();
  return { ranges: hours.weekly.find((w) => w.weekday === weekday)?.ranges ?? [], reason: null, exception: false };
}
