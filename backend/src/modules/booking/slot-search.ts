import type { DateException, Interval, WeeklyHours } from '../../ports/calendar.js';
import { instantAt, localDateTime, nextDay, type LocalDateTime } from '../policy/local-time.js';
import type { FreeSlot } from './booking-types.js';

export type SlotSearch = {
  timeZone: string;
  weekly: WeeklyHours;
  exceptions: DateException[];
  /** Confirmed bookings' blocked time (their buffers included). */
  busy: Interval[];
  durationMinutes: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  from: Date;
  to: Date;
  now: Date;
  stepMinutes?: number;
  limit?: number;
};

export const DEFAULT_STEP_MINUTES = 15;
const MINUTE = 60_000;
type Day = Pick<LocalDateTime, 'year' | 'month' | 'day'>;

const pad = (n: number) => String(n).padStart(2, '0');
export const isoDate = (d: Day) => `${d.year}-${pad(d.month)}-${pad(d.day)}`;
const weekdayOf = (d: Day) => new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay();

/** The instant a wall-clock 'HH:MM' happens on `day` in `timeZone` ('24:00' is the next day's midnight). */
function instantOn(day: Day, time: string, timeZone: string): Date {
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  if (hour === 24) return instantAt({ ...nextDay({ ...day, hour: 0, minute: 0 }), hour: 0, minute: 0 }, timeZone);
  return instantAt({ ...day, hour, minute }, timeZone);
}

/** The open intervals of one local day: the date's exception if any, else that weekday's hours. */
export function openIntervals(day: Day, search: Pick<SlotSearch, 'timeZone' | 'weekly' | 'exceptions'>): Interval[] {
  const exception = search.exceptions.find((e) => e.date === isoDate(day));
  const ranges = exception ? exception.ranges : search.weekly.filter((w) => w.weekday === weekdayOf(day)).flatMap((w) => w.ranges);
  return ranges.map((r) => ({ start: instantOn(day, r.start, search.timeZone), end: instantOn(day, r.end, search.timeZone) }));
}

const overlaps = (a: Interval, b: Interval) => a.start < b.end && b.start < a.end;

/** The blocked interval of an appointment: its own time plus the service's buffers. */
export function blockedInterval(start: Date, s: Pick<SlotSearch, 'durationMinutes' | 'bufferBeforeMinutes' | 'bufferAfterMinutes'>): Interval {
  return {
    start: new Date(start.getTime() - s.bufferBeforeMinutes * MINUTE),
    end: new Date(start.getTime() + (s.durationMinutes + s.bufferAfterMinutes) * MINUTE),
  };
}

/**
 * Free appointment starts in [from, to): on a grid of `stepMinutes` from each open range's start, the
 * appointment itself inside the range (buffers may extend past it), its buffered interval clear of every
 * busy interval, and never before `now`. Days are walked in the tenant's zone and each range is turned
 * into instants on its own date, so a DST change shifts that day's slots by the offset and nothing else.
 */
export function findSlots(search: SlotSearch): FreeSlot[] {
  const step = (search.stepMinutes ?? DEFAULT_STEP_MINUTES) * MINUTE;
  const earliest = Math.max(search.from.getTime(), search.now.getTime());
  const slots: FreeSlot[] = [];
  // Start a day early: the range of the local day before `from` may still be open at `from` (zones west of UTC).
  let day: Day = dayBefore(localDateTime(search.from, search.timeZone));
  const lastDay = isoDate(localDateTime(search.to, search.timeZone));
  for (; isoDate(day) <= lastDay; day = nextDay({ ...day, hour: 0, minute: 0 })) {
    for (const open of openIntervals(day, search).sort((a, b) => a.start.getTime() - b.start.getTime())) {
      for (let t = open.start.getTime(); t + search.durationMinutes * MINUTE <= open.end.getTime(); t += step) {
        if (t < earliest || t >= search.to.getTime()) continue;
        const start = new Date(t);
        const blocked = blockedInterval(start, search);
        if (search.busy.some((b) => overlaps(b, blocked))) continue;
        slots.push({ start, end: new Date(t + search.durationMinutes * MINUTE) });
        if (search.limit !== undefined && slots.length >= search.limit) return slots;
      }
    }
  }
  return slots;
}

function dayBefore(d: Day): Day {
  const date = new Date(Date.UTC(d.year, d.month - 1, d.day - 1));
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

/** Whether an appointment may start exactly at `start` (any minute, not only the grid): open, free, not past. */
export function canStartAt(search: Omit<SlotSearch, 'from' | 'to' | 'limit' | 'stepMinutes'>, start: Date): boolean {
  if (start < search.now) return false;
  const end = new Date(start.getTime() + search.durationMinutes * MINUTE);
  const today = localDateTime(start, search.timeZone);
  const open = [dayBefore(today), today].flatMap((day) => openIntervals(day, search));
  if (!open.some((o) => o.start <= start && end <= o.end)) return false;
  const blocked = blockedInterval(start, search);
  return !search.busy.some((b) => overlaps(b, blocked));
}
