import { page } from '$app/state';
import { FALLBACK_LOCALE, formatDate, formatDateTime, formatTime, formatWeekday, type DateContext } from './format.js';

/** The page's date context: locale from the root layout, the business's time zone from the signed-in layout. */
function context(): DateContext {
  const data = page.data as { locale?: string; timeZone?: string };
  return { locale: data.locale ?? FALLBACK_LOCALE, timeZone: data.timeZone ?? 'UTC' };
}

/** Date formatting for templates; call the functions while rendering (they read the current page's data). */
export const dates = {
  dateTime: (value: string | Date | null | undefined) => formatDateTime(value, context()),
  date: (value: string | Date | null | undefined) => formatDate(value, context()),
  time: (value: string | Date | null | undefined) => formatTime(value, context()),
  weekday: (day: string) => formatWeekday(day, context().locale),
  timeZone: () => context().timeZone,
};
