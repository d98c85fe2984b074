import { randomInt } from 'node:crypto';
import { QueryTypes, type Sequelize } from 'sequelize';

type TenantTarget = { agencyId: string; tenantId: string };

/** An active 30-minute service (beneath RLS). */
export async function insertBookingService(
  db: Sequelize,
  t: TenantTarget,
  fields: { name?: string; durationMinutes?: number; bufferBeforeMinutes?: number; bufferAfterMinutes?: number; active?: boolean } = {},
): Promise<{ id: string }> {
  const [row] = await db.query<{ id: string }>(
    `INSERT INTO booking_services (agency_id, tenant_id, name, duration_minutes, buffer_before_minutes, buffer_after_minutes, active)
     VALUES (:agencyId, :tenantId, :name, :duration, :before, :after, :active) RETURNING id`,
    {
      replacements: { ...t, name: fields.name ?? 'Consultation', duration: fields.durationMinutes ?? 30, before: fields.bufferBeforeMinutes ?? 0,
        after: fields.bufferAfterMinutes ?? 0, active: fields.active ?? true },
      type: QueryTypes.SELECT,
    },
  );
  return row!;
}

/** Opens the tenant every day around the clock (tests that are not about hours need any time bookable). */
export async function openAroundTheClock(db: Sequelize, t: TenantTarget): Promise<void> {
  await db.query(
    `INSERT INTO booking_hours (agency_id, tenant_id, weekday, start_time, end_time)
     SELECT :agencyId, :tenantId, d, '00:00', '24:00' FROM generate_series(0, 6) d
     WHERE NOT EXISTS (SELECT 1 FROM booking_hours WHERE tenant_id = :tenantId)`,
    { replacements: t },
  );
}

/** A future quarter-hour start after every booking of the tenant (callers in one test never collide). */
export async function nextFreeStart(db: Sequelize, t: TenantTarget): Promise<Date> {
  const [row] = await db.query<{ latest: Date | null }>('SELECT max(upper(blocked)) AS latest FROM bookings WHERE tenant_id = :tenantId', {
    replacements: t, type: QueryTypes.SELECT,
  });
  const quarter = 15 * 60_000;
  const after = Math.max(Date.now() + 20 * 86_400_000, row?.latest ? new Date(row.latest).getTime() : 0) + randomInt(4, 8) * quarter;
  return new Date(Math.ceil(after / quarter) * quarter);
}

/** A confirmed booking inserted directly (beneath RLS), with its own service. */
export async function insertBooking(db: Sequelize, t: TenantTarget): Promise<{ id: string; serviceId: string }> {
  const service = await insertBookingService(db, t);
  const start = await nextFreeStart(db, t);
  const end = new Date(start.getTime() + 30 * 60_000);
  const [row] = await db.query<{ id: string }>(
    `INSERT INTO bookings (agency_id, tenant_id, service_id, starts_at, ends_at, blocked, source, time_zone)
     VALUES (:agencyId, :tenantId, :serviceId, :start, :end, tstzrange(:start, :end, '[)'), 'staff', 'UTC') RETURNING id`,
    { replacements: { ...t, serviceId: service.id, start: start.toISOString(), end: end.toISOString() }, type: QueryTypes.SELECT },
  );
  return { id: row!.id, serviceId: service.id };
}
