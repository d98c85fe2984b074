import type { Transaction } from 'sequelize';
import { queryRows } from '../../db/sql.js';
import type { DateException, WeeklyHours } from '../../ports/calendar.js';

type Scope = { agencyId: string; tenantId: string };

/** Replaces the tenant's whole week (a weekday left out is closed). */
export async function replaceWeeklyHours(tx: Transaction, input: Scope & { weekly: WeeklyHours }): Promise<void> {
  await queryRows(tx, 'DELETE FROM booking_hours WHERE tenant_id = :tenantId', input);
  for (const day of input.weekly) {
    for (const r of day.ranges) {
      await queryRows(tx,
        `INSERT INTO booking_hours (agency_id, tenant_id, weekday, start_time, end_time) VALUES (:agencyId, :tenantId, :weekday, :start, :end)`,
        { agencyId: input.agencyId, tenantId: input.tenantId, weekday: day.weekday, start: r.start, end: r.end === '24:00' ? '24:00:00' : r.end });
    }
  }
}

/** Replaces one date's exception: no ranges = closed all day. */
export async function replaceDateException(tx: Transaction, input: Scope & { exception: DateException }): Promise<void> {
  const { date, ranges, reason } = input.exception;
  await queryRows(tx, 'DELETE FROM booking_exceptions WHERE tenant_id = :tenantId AND date = CAST(:date AS date)', { ...input, date });
  const rows = ranges.length > 0 ? ranges : [null];
  for (const r of rows) {
    await queryRows(tx,
      `INSERT INTO booking_exceptions (agency_id, tenant_id, date, start_time, end_time, reason)
       VALUES (:agencyId, :tenantId, CAST(:date AS date), :start, :end, :reason)`,
      { agencyId: input.agencyId, tenantId: input.tenantId, date, start: r?.start ?? null, end: r ? (r.end === '24:00' ? '24:00:00' : r.end) : null, reason: reason ?? null });
  }
}

/** Removes a date's exception (the weekly hours apply again); false when there was none. */
export async function deleteDateException(tx: Transaction, input: { tenantId: string; date: string }): Promise<boolean> {
  const rows = await queryRows(tx, 'DELETE FROM booking_exceptions WHERE tenant_id = :tenantId AND date = CAST(:date AS date) RETURNING id', input);
  return rows.length > 0;
}
