import { describe, expect, it } from 'vitest';
import { addDays, dayIn, isDay, startOfDay, weekOf, weekdayOf } from './calendar-time.js';

describe('calendar time', () => {
  it('when a week is asked for, then it runs Monday to Sunday and crosses month ends', () => {
    expect(weekOf('2026-12-03')).toEqual(['2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04', '2026-12-05', '2026-12-06']);
    expect(weekOf('2026-12-06')[0]).toBe('2026-11-30');
    expect(weekdayOf('2026-12-06')).toBe(0);
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });

  it('when a day starts in a zone, then it is that local midnight, on both sides of a DST change', () => {
    expect(startOfDay('2026-12-01', 'America/New_York').toISOString()).toBe('2026-12-01T05:00:00.000Z');
    expect(startOfDay('2026-07-01', 'America/New_York').toISOString()).toBe('2026-07-01T04:00:00.000Z');
    expect(startOfDay('2026-03-08', 'America/New_York').toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(startOfDay('2026-03-09', 'America/New_York').toISOString()).toBe('2026-03-09T04:00:00.000Z');
    expect(startOfDay('2026-12-01', 'Asia/Kolkata').toISOString()).toBe('2026-11-30T18:30:00.000Z');
  });

  it('when an instant is read in a zone, then it lands on the local day; bad days are refused', () => {
    expect(dayIn(new Date('2026-12-01T03:00:00Z'), 'America/New_York')).toBe('2026-11-30');
    expect(dayIn(new Date('2026-12-01T20:00:00Z'), 'Asia/Tokyo')).toBe('2026-12-02');
    expect(isDay('2026-12-01')).toBe(true);
    expect(isDay('2026-13-01')).toBe(false);
    expect(isDay('tomorrow')).toBe(false);
  });
});
