import type { Transaction } from 'sequelize';
import { queryOne, queryRows } from '../../db/sql.js';
import type { Booking } from './booking-types.js';

// Reads of bookings (writes go through the calendar port, which owns the overlap rule).
const COLUMNS = `id, tenant_id AS "tenantId", service_id AS "serviceId", contact_id AS "contactId", starts_at AS "start",
  ends_at AS "end", status, source, notes, time_zone AS "timeZone"`;

export async function selectBooking(tx: Transaction, where: { tenantId: string; bookingId: string }): Promise<Booking | undefined> {
  return queryOne<Booking>(tx, `SELECT ${COLUMNS} FROM bookings WHERE id = :bookingId AND tenant_id = :tenantId`, where);
}

export async function selectBookingByKey(tx: Transaction, where: { tenantId: string; idempotencyKey: string }): Promise<Booking | undefined> {
  return queryOne<Booking>(tx, `SELECT ${COLUMNS} FROM bookings WHERE tenant_id = :tenantId AND idempotency_key = :idempotencyKey`, where);
}

export async function selectBookings(
  tx: Transaction,
  where: { tenantId: string; contactId?: string; from?: Date; to?: Date; status?: Booking['status']; limit?: number },
): Promise<Booking[]> {
  return queryRows<Booking>(tx,
    `SELECT ${COLUMNS} FROM bookings WHERE tenant_id = :tenantId
       AND (CAST(:contactId AS uuid) IS NULL OR contact_id = CAST(:contactId AS uuid))
       AND (CAST(:from AS timestamptz) IS NULL OR ends_at > CAST(:from AS timestamptz))
       AND (CAST(:to AS timestamptz) IS NULL OR starts_at < CAST(:to AS timestamptz))
       AND (CAST(:status AS text) IS NULL OR status = CAST(:status AS text))
     ORDER BY starts_at, id LIMIT :limit`,
    {
      tenantId: where.tenantId, contactId: where.contactId ?? null, from: where.from?.toISOString() ?? null,
      to: where.to?.toISOString() ?? null, status: where.status ?? null, limit: where.limit ?? 200,
    });
}

export async function contactInTenant(tx: Transaction, where: { tenantId: string; contactId: string }): Promise<boolean> {
  return (await queryRows(tx, 'SELECT 1 FROM contacts WHERE id = :contactId AND tenant_id = :tenantId', where)).length > 0;
}
