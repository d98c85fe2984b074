/**
 * One way to show dates and times on every page: the reader's locale (from Accept-Language) and the
 * business's time zone, so the server render and the browser agree and a "9:00" means 9:00 at the business.
 */
export type DateContext = { locale: string; timeZone: string };

export const FALLBACK_LOCALE = 'en-US';

type Value = string | number | Date | null | undefined;

function toDate(value: Value): Date | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(context: DateContext, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${context.locale}|${context.timeZone}|${JSON.stringify(options)}`;
  let found = formatters.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat(context.locale, { ...options, timeZone: context.timeZone });
    formatters.set(key, found);
  }
  return found;
}

const show = (value: Value, context: DateContext, options: Intl.DateTimeFormatOptions) => {
  const date = toDate(value);
  return date ? formatter(context, options).format(date) : '—';
};

/** "Dec 1, 2026, 9:15 PM" (en-US) or "1 Dec 2026, 21:15" (en-GB); "—" for no value. */
export const formatDateTime = (value: Value, context: DateContext) => show(value, context, { dateStyle: 'medium', timeStyle: 'short' });
/** "Dec 1, 2026". */
export const formatDate = (value: Value, context: DateContext) => show(value, context, { dateStyle: 'medium' });
/** "9:15 PM". */
export const formatTime = (value: Value, context: DateContext) => show(value, context, { timeStyle: 'short' });
/** "Tue" for a calendar day ("2026-12-01"), independent of any time zone. */
export const formatWeekday = (day: string, locale: string) =>
  show(`${day}T12:00:00Z`, { locale, timeZone: 'UTC' }, { weekday: 'short' });

/** The reader's preferred locale this runtime can format, from an Accept-Language header. */
export function localeFromAcceptLanguage(header: string | null | undefined): string {
  const wanted = (header ?? '')
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { tag: tag!.trim(), q: q === undefined ? 1 : Number(q) };
    })
    .filter((entry) => entry.tag && entry.tag !== '*' && entry.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of wanted) {
    try {
      const [supported] = Intl.DateTimeFormat.supportedLocalesOf([tag]);
      if (supported) return supported;
    } catch {
      // not a well-formed language tag: try the next one
    }
  }
  return FALLBACK_LOCALE;
}

/** A time zone the runtime knows, else UTC (a bad value must not break every page). */
export function usableTimeZone(timeZone: string | null | undefined): string {
  if (!timeZone) return 'UTC';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return timeZone;
  } catch {
    return 'UTC';
  }
}
