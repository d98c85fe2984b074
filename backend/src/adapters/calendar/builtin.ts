import type { Transaction } from 'sequelize';
import { queryOne, queryRows } from '../../db/sql.js';
import { AppError } from '../../http/errors.js';
import type { CalendarAvailability, CalendarEntry, CalendarPort, DateException, Interval, NewEntry, WeeklyHours } from '../../ports/calendar.js';

// The built-in calendar: hours, exceptions and bookings in PostgreSQL (migration 0600). The exclusion
// constraint bookings_no_overlap is what refuses a double booking; inserts run under a savepoint so the
// caller's transaction survives a CONFLICT (an agent can then offer other slots in the same unit of work).

const ENTRY = `id, tenant_id AS "tenantId", service_id AS "serviceId", contact_id AS "contactId", starts_at AS "start",
  ends_at AS "end", status, source, notes, time_zone AS "timeZone"`;

const hhmm = (t: string) => (t.startsWith('24') ? '24:00' : t.slice(0, 5));
const range = (i: Interval) => `[${i.start.toISOString()},${i.end.toISOString()})`;

/**
 * The slot went to another transaction: an exclusion violation (23P01), or a deadlock (40P01) between two inserts of
 * overlapping ranges that each wait on the other's uncommitted row before checking the constraint. PostgreSQL then
 * aborts one of them and the other commits, so for the aborted one the slot is taken just the same.
 */
function isExclusionViolation(err: unknown): boolean {
  const e = (err as { original?: { code?: string }; parent?: { code?: string } } | null) ?? {};
  const code = e.original?.code ?? e.parent?.code;
  return code === '23P01' || code === '40P01';
}

/** Runs `work` under a savepoint: a failed statement then rolls back to it instead of aborting `tx`. */
async function underSavepoint<T>(tx: Transaction, work: () => Promise<T>): Promise<T> {
  await queryRows(tx, 'SAVEPOINT calendar_write');
  try {
    const result = await work();
    await queryRows(tx, 'RELEASE SAVEPOINT calendar_write');
    return result;
  } catch (err) {
    await queryRows(tx, 'ROLLBACK TO SAVEPOINT calendar_write');
    throw err;
  }
}

const slotTaken = () => new AppError('CONFLICT', 'That time is already booked');

async function weeklyHours(tx: Transaction, tenantId: string): Promise<WeeklyHours> {
  const rows = await queryRows<{ weekday: number; start: string; end: string }>(tx,
    `SELECT weekday, start_time::text AS start, end_time::text AS "end" FROM booking_hours WHERE tenant_id = :tenantId ORDER BY weekday, start_time`,
    { tenantId });
  const byDay = new Map<number, WeeklyHours[number]>();
  for (const r of rows) {
    const day = byDay.get(r.weekday) ?? { weekday: r.weekday, ranges: [] };
    day.ranges.push({ start: hhmm(r.start), end: hhmm(r.end) });
    byDay.set(r.weekday, day);
  }
  return [...byDay.values()];
}

async function exceptions(tx: Transaction, q: { tenantId: string; fromDate: string; toDate: string }): Promise<DateException[]> {
  const rows = await queryRows<{ date: string; start: string | null; end: string | null; reason: string | null }>(tx,
    `SELECT date::text AS date, start_time::text AS start, end_time::text AS "end", reason FROM booking_exceptions
     WHERE tenant_id = :tenantId AND date BETWEEN CAST(:fromDate AS date) AND CAST(:toDate AS date) ORDER BY date, start_time`, q);
  const byDate = new Map<string, DateException>();
  for (const r of rows) {
    const day = byDate.get(r.date) ?? { date: r.date, ranges: [], reason: r.reason };
    if (r.start && r.end) day.ranges.push({ start: hhmm(r.start), end: hhmm(r.end) });
    byDate.set(r.date, day);
  }
  return [...byDate.values()];
}

export const builtinCalendar: CalendarPort = {
  async availability(tx, q): Promise<CalendarAvailability> {
    const tenant = await queryOne<{ timeZone: string }>(tx, 'SELECT time_zone AS "timeZone" FROM tenants WHERE id = :tenantId', q);
    if (!tenant) throw new AppError('NOT_FOUND', 'Tenant not found');
    // Dates a day wider than the window: the window's ends fall on other local dates in far-off zones.
    const day = (d: Date, shift: number) => new Date(d.getTime() + shift * 86_400_000).toISOString().slice(0, 10);
    const busy = await queryRows<{ start: Date; end: Date }>(tx,
      `SELECT lower(blocked) AS start, upper(blocked) AS "end" FROM bookings
       WHERE tenant_id = :tenantId AND status = 'confirmed' AND blocked && tstzrange(:from, :to, '[)')
         AND (CAST(:ignore AS uuid) IS NULL OR id <> CAST(:ignore AS uuid))`,
      { tenantId: q.tenantId, from: q.from.toISOString(), to: q.to.toISOString(), ignore: q.ignoreEntryId ?? null });
    return {
      timeZone: tenant.timeZone,
      weekly: await weeklyHours(tx, q.tenantId),
      exceptions: await exceptions(tx, { tenantId: q.tenantId, fromDate: day(q.from, -2), toDate: day(q.to, 2) }),
      busy: busy.map((b) => ({ start: new Date(b.start), end: new Date(b.end) })),
    };
  },

  async reserve(tx, e: NewEntry) {
    const values = { ...e, start: e.start.toISOString(), end: e.end.toISOString(), blocked: range(e.blocked), idempotencyKey: e.idempotencyKey ?? null };
    try {
      const row = await underSavepoint(tx, () => queryOne<CalendarEntry>(tx,
        `INSERT INTO bookings (agency_id, tenant_id, service_id, contact_id, starts_at, ends_at, blocked, source, notes, time_zone, idempotency_key)
         VALUES (:agencyId, :tenantId, :serviceId, :contactId, :start, :end, CAST(:blocked AS tstzrange), :source, :notes, :timeZone, :idempotencyKey)
         ON CONFLICT (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING RETURNING ${ENTRY}`, values));
      if (row) return { entry: row, created: true };
    } catch (err) {
      if (!isExclusionViolation(err)) throw err;
      // A concurrent request with the same key may have taken the slot: then that booking is the answer.
      if (!e.idempotencyKey) throw slotTaken();
    }
    const existing = await queryOne<CalendarEntry>(tx,
      `SELECT ${ENTRY} FROM bookings WHERE tenant_id = :tenantId AND idempotency_key = :idempotencyKey`, values);
    if (!existing) throw slotTaken();
    return { entry: existing, created: false };
  },

  async move(tx, c) {
    try {
      const row = await underSavepoint(tx, () => queryOne<CalendarEntry>(tx,
        `UPDATE bookings SET starts_at = :start, ends_at = :end, blocked = CAST(:blocked AS tstzrange), updated_at = now()
         WHERE id = :entryId AND tenant_id = :tenantId AND status = 'confirmed' RETURNING ${ENTRY}`,
        { ...c, start: c.start.toISOString(), end: c.end.toISOString(), blocked: range(c.blocked) }));
      if (!row) throw new AppError('NOT_FOUND', 'No confirmed booking with this id');
      return row;
    } catch (err) {
      if (isExclusionViolation(err)) throw slotTaken();
      throw err;
    }
  },

  async release(tx, c) {
    const row = await queryOne<CalendarEntry>(tx,
      `UPDATE bookings SET status = 'cancelled', cancel_reason = :reason, cancelled_at = now(), updated_at = now()
       WHERE id = :entryId AND tenant_id = :tenantId AND status = 'confirmed' RETURNING ${ENTRY}`, c);
    if (row) return { entry: row, changed: true };
    const current = await queryOne<CalendarEntry>(tx, `SELECT ${ENTRY} FROM bookings WHERE id = :entryId AND tenant_id = :tenantId`, c);
    if (!current) throw new AppError('NOT_FOUND', 'Booking not found');
    return { entry: current, changed: false };
  },
};
