import { expect } from 'chai';
import { canStartAt, findSlots, type SlotSearch } from '../../src/modules/booking/slot-search.js';
import type { DateException, Interval, WeeklyHours } from '../../src/ports/calendar.js';

const NY = 'America/New_York';
const everyDay = (start: string, end: string): WeeklyHours => [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, ranges: [{ start, end }] }));
const weekdays = (start: string, end: string): WeeklyHours => [1, 2, 3, 4, 5].map((weekday) => ({ weekday, ranges: [{ start, end }] }));
const at = (iso: string) => new Date(iso);
const day = (date: string) => ({ from: at(`${date}T00:00:00Z`), to: at(`${date}T23:59:00Z`) });

function search(overrides: Partial<SlotSearch>): SlotSearch {
  return {
    timeZone: NY, weekly: everyDay('09:00', '12:00'), exceptions: [], busy: [], durationMinutes: 60, bufferBeforeMinutes: 0, bufferAfterMinutes: 0,
    from: at('2026-03-04T00:00:00Z'), to: at('2026-03-05T00:00:00Z'), now: at('2026-01-01T00:00:00Z'), ...overrides,
  };
}
const starts = (s: SlotSearch) => findSlots(s).map((slot) => slot.start.toISOString().slice(11, 16));

describe('booking slot search (unit)', () => {
  const cases: { when: string; input: Partial<SlotSearch>; then: string[] }[] = [
    { when: 'an ordinary winter day in New York (EST, UTC-5)', input: { ...day('2026-03-04') },
      then: ['14:00', '14:15', '14:30', '14:45', '15:00', '15:15', '15:30', '15:45', '16:00'] },
    { when: 'the spring-forward Sunday (09:00 is already EDT, UTC-4)', input: { ...day('2026-03-08') },
      then: ['13:00', '13:15', '13:30', '13:45', '14:00', '14:15', '14:30', '14:45', '15:00'] },
    { when: 'the day before spring forward (still EST)', input: { ...day('2026-03-07') },
      then: ['14:00', '14:15', '14:30', '14:45', '15:00', '15:15', '15:30', '15:45', '16:00'] },
    { when: 'the fall-back Sunday (09:00 is EST again)', input: { ...day('2026-11-01') },
      then: ['14:00', '14:15', '14:30', '14:45', '15:00', '15:15', '15:30', '15:45', '16:00'] },
    { when: 'special hours 01:00-04:00 span the spring-forward gap (only 2 real hours)',
      input: { ...day('2026-03-08'), exceptions: [{ date: '2026-03-08', ranges: [{ start: '01:00', end: '04:00' }] }] },
      then: ['06:00', '06:15', '06:30', '06:45', '07:00'] },
    { when: 'special hours 01:00-03:00 span the fall-back repeat (3 real hours)',
      input: { ...day('2026-11-01'), exceptions: [{ date: '2026-11-01', ranges: [{ start: '01:00', end: '03:00' }] }] },
      then: ['05:00', '05:15', '05:30', '05:45', '06:00', '06:15', '06:30', '06:45', '07:00'] },
    { when: 'a booking holds 10:00-11:00 and the service has 15 min buffers each side',
      input: { ...day('2026-03-04'), durationMinutes: 30, bufferBeforeMinutes: 15, bufferAfterMinutes: 15, busy: [{ start: at('2026-03-04T15:00:00Z'), end: at('2026-03-04T16:00:00Z') }] },
      then: ['14:00', '14:15', '16:15', '16:30'] },
    { when: 'the date is closed by an exception', input: { ...day('2026-03-04'), exceptions: [{ date: '2026-03-04', ranges: [] }] }, then: [] },
    { when: 'an exception replaces the weekly hours with two short ranges',
      input: { ...day('2026-03-04'), exceptions: [{ date: '2026-03-04', ranges: [{ start: '08:00', end: '09:00' }, { start: '17:00', end: '18:15' }] }] },
      then: ['13:00', '22:00', '22:15'] },
    { when: 'the weekday has no hours (Saturday, weekdays-only tenant)', input: { ...day('2026-03-07'), weekly: weekdays('09:00', '12:00') }, then: [] },
    { when: 'it is already 10:20 local: nothing earlier is offered', input: { ...day('2026-03-04'), now: at('2026-03-04T15:20:00Z') },
      then: ['15:30', '15:45', '16:00'] },
    { when: 'a limit is given', input: { ...day('2026-03-04'), limit: 2 }, then: ['14:00', '14:15'] },
    { when: 'the step is the service duration', input: { ...day('2026-03-04'), stepMinutes: 60 }, then: ['14:00', '15:00', '16:00'] },
    { when: 'evening hours in Los Angeles fall on the next UTC date (the search starts a local day early)',
      input: { timeZone: 'America/Los_Angeles', weekly: everyDay('20:00', '22:00'), from: at('2026-03-05T00:00:00Z'), to: at('2026-03-05T12:00:00Z'), stepMinutes: 60 },
      then: ['04:00', '05:00'] },
    { when: 'morning hours in Tokyo fall on the previous UTC date',
      input: { timeZone: 'Asia/Tokyo', weekly: everyDay('09:00', '11:00'), from: at('2026-03-03T12:00:00Z'), to: at('2026-03-04T12:00:00Z'), stepMinutes: 60 },
      then: ['00:00', '01:00'] },
  ];
  for (const c of cases) {
    it(`when ${c.when}, then the free starts (UTC) are [${c.then.join(', ')}]`, () => {
      expect(starts(search(c.input))).to.deep.equal(c.then);
    });
  }

  it('when a slot is found, then it ends one service duration after it starts', () => {
    const [slot] = findSlots(search({ ...day('2026-03-04'), durationMinutes: 45 }));
    expect(slot!.end.getTime() - slot!.start.getTime()).to.equal(45 * 60_000);
  });

  describe('canStartAt (an exact start asked for by a lead or staff)', () => {
    const busy: Interval[] = [{ start: at('2026-03-04T15:00:00Z'), end: at('2026-03-04T16:00:00Z') }];
    const exceptions: DateException[] = [];
    const base = { ...search({}), busy, exceptions, durationMinutes: 30, bufferBeforeMinutes: 0, bufferAfterMinutes: 10 };
    const table: { start: string; now?: string; expected: boolean; why: string }[] = [
      { start: '2026-03-04T14:07:00Z', expected: true, why: 'off the grid but open and free' },
      { start: '2026-03-04T14:20:00Z', expected: true, why: 'ends 14:50 + 10 min buffer = 15:00, touching the booking' },
      { start: '2026-03-04T14:25:00Z', expected: false, why: 'its after-buffer reaches into the booking' },
      { start: '2026-03-04T13:45:00Z', expected: false, why: 'before opening (08:45 local)' },
      { start: '2026-03-04T16:45:00Z', expected: false, why: 'ends after closing (12:15 local)' },
      { start: '2026-03-04T16:30:00Z', expected: true, why: 'ends exactly at closing' },
      { start: '2026-03-04T14:00:00Z', now: '2026-03-04T14:30:00Z', expected: false, why: 'in the past' },
    ];
    for (const row of table) {
      it(`when the start is ${row.start} (${row.why}), then bookable is ${row.expected}`, () => {
        expect(canStartAt({ ...base, now: at(row.now ?? '2026-01-01T00:00:00Z') }, at(row.start))).to.equal(row.expected);
      });
    }
  });
});
