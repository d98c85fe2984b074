import { instantAt, localDateTime, nextDay } from './local-time.js';

/** Local wall-clock hours in which proactive messages may go out, "HH:MM" each; end is exclusive. */
export type SendingWindow = { start: string; end: string };

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}

/** True when `instant` falls inside the window in `timeZone` (a window may wrap midnight, e.g. 22:00-06:00). */
export function isWithinSendingWindow(instant: Date, timeZone: string, window: SendingWindow): boolean {
  const local = localDateTime(instant, timeZone);
  const now = local.hour * 60 + local.minute;
  const start = minutesOf(window.start);
  const end = minutesOf(window.end);
  if (start === end) return true; // an empty-length window means "any time"
  return start < end ? now >= start && now < end : now >= start || now < end;
}

/** The earliest instant at or after `from` that is inside the window, in the recipient's zone. */
export function nextWindowOpening(from: Date, timeZone: string, window: SendingWindow): Date {
  if (isWithinSendingWindow(from, timeZone, window)) return from;
  const local = localDateTime(from, timeZone);
  const start = minutesOf(window.start);
  const opening = { hour: Math.floor(start / 60), minute: start % 60 };
  const day = local.hour * 60 + local.minute < start ? local : nextDay(local);
  return instantAt({ year: day.year, month: day.month, day: day.day, ...opening }, timeZone);
}
