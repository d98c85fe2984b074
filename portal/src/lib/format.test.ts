import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatTime, formatWeekday, localeFromAcceptLanguage, usableTimeZone } from './format.js';

const at = '2026-12-01T21:15:00.000Z';

describe('dates in the reader’s locale and the business’s time zone', () => {
  it('when the same moment is shown for New York and Berlin readers, then each sees the business’s wall clock in their own format', () => {
    expect(formatDateTime(at, { locale: 'en-US', timeZone: 'America/New_York' })).toMatch(/^Dec 1, 2026, 4:15\sPM$/);
    expect(formatDateTime(at, { locale: 'de-DE', timeZone: 'Europe/Berlin' })).toBe('01.12.2026, 22:15');
    expect(formatDateTime(at, { locale: 'en-GB', timeZone: 'UTC' })).toBe('1 Dec 2026, 21:15');
  });

  it('when a moment is past midnight in the business’s zone, then the date is the business’s date', () => {
    expect(formatDate('2026-12-01T23:30:00Z', { locale: 'en-GB', timeZone: 'Europe/Berlin' })).toBe('2 Dec 2026');
    expect(formatTime('2026-12-01T23:30:00Z', { locale: 'en-GB', timeZone: 'Europe/Berlin' })).toBe('00:30');
  });

  it('when there is no date or it is not a date, then a dash is shown instead of "Invalid Date"', () => {
    expect(formatDateTime(null, { locale: 'en-US', timeZone: 'UTC' })).toBe('—');
    expect(formatDateTime('not a date', { locale: 'en-US', timeZone: 'UTC' })).toBe('—');
    expect(formatDate(undefined, { locale: 'en-US', timeZone: 'UTC' })).toBe('—');
  });

  it('when a calendar day is named, then the weekday does not shift with a time zone', () => {
    expect(formatWeekday('2026-12-01', 'en-US')).toBe('Tue');
    expect(formatWeekday('2026-12-01', 'de-DE')).toMatch(/^Di\.?$/);
  });

  it('when the browser sends Accept-Language, then the highest-weighted usable locale wins', () => {
    expect(localeFromAcceptLanguage('de-DE,de;q=0.9,en;q=0.8')).toBe('de-DE');
    expect(localeFromAcceptLanguage('fr;q=0.5, en-GB;q=0.9')).toBe('en-GB');
    expect(localeFromAcceptLanguage('*')).toBe('en-US');
    expect(localeFromAcceptLanguage('not_a tag!!')).toBe('en-US');
    expect(localeFromAcceptLanguage(undefined)).toBe('en-US');
  });

  it('when a stored time zone is unknown, then UTC is used rather than breaking the page', () => {
    expect(usableTimeZone('America/New_York')).toBe('America/New_York');
    expect(usableTimeZone('New York')).toBe('UTC');
    expect(usableTimeZone(null)).toBe('UTC');
  });
});
