import { page } from '$app/state';
import { FALLBACK_LOCALE, formatDate, formatWeekday } from '#lib/format.js';

/** "Thu, Dec 3, 2026" for a calendar day: a day has no time zone, so it is formatted as such (never shifted). */
export function dayLabel(day: string, withYear = true): string {
  const locale = (page.data as { locale?: string }).locale ?? FALLBACK_LOCALE;
  const date = formatDate(`${day}T12:00:00Z`, { locale, timeZone: 'UTC' });
  return `${formatWeekday(day, locale)} ${withYear ? date : date.replace(/,? \d{4}$/, '')}`;
}
