import type { Transaction } from 'sequelize';
import { queryOne, queryRows } from '../../db/sql.js';
import type { BookingService } from './booking-types.js';

const COLUMNS = `id, name, duration_minutes AS "durationMinutes", buffer_before_minutes AS "bufferBeforeMinutes",
  buffer_after_minutes AS "bufferAfterMinutes", price_cents AS "priceCents", currency, active`;

export type ServiceFields = Omit<BookingService, 'id'>;

const plain = (row: BookingService): BookingService => ({ ...row, currency: row.currency?.trim().toLowerCase() ?? null });

export async function selectServices(tx: Transaction, where: { tenantId: string; activeOnly?: boolean }): Promise<BookingService[]> {
  const rows = await queryRows<BookingService>(tx,
    `SELECT ${COLUMNS} FROM booking_services WHERE tenant_id = :tenantId${where.activeOnly ? ' AND active' : ''} ORDER BY name, id`, where);
  return rows.map(plain);
}

export async function selectService(tx: Transaction, where: { tenantId: string; serviceId: string }): Promise<BookingService | undefined> {
  const row = await queryOne<BookingService>(tx, `SELECT ${COLUMNS} FROM booking_services WHERE id = :serviceId AND tenant_id = :tenantId`, where);
  return row && plain(row);
}

export async function insertService(tx: Transaction, input: { agencyId: string; tenantId: string; fields: ServiceFields }): Promise<BookingService> {
  const row = await queryOne<BookingService>(tx,
    `INSERT INTO booking_services (agency_id, tenant_id, name, duration_minutes, buffer_before_minutes, buffer_after_minutes, price_cents, currency, active)
     VALUES (:agencyId, :tenantId, :name, :durationMinutes, :bufferBeforeMinutes, :bufferAfterMinutes, :priceCents, :currency, :active)
     RETURNING ${COLUMNS}`, { agencyId: input.agencyId, tenantId: input.tenantId, ...input.fields });
  return plain(row!);
}

export async function updateService(
  tx: Transaction,
  input: { tenantId: string; serviceId: string; fields: Partial<ServiceFields> },
): Promise<BookingService | undefined> {
  const f = input.fields;
  const row = await queryOne<BookingService>(tx,
    `UPDATE booking_services SET name = coalesce(:name, name), duration_minutes = coalesce(:durationMinutes, duration_minutes),
       buffer_before_minutes = coalesce(:bufferBeforeMinutes, buffer_before_minutes),
       buffer_after_minutes = coalesce(:bufferAfterMinutes, buffer_after_minutes),
       price_cents = CASE WHEN :priceGiven THEN :priceCents ELSE price_cents END,
       currency = CASE WHEN :priceGiven THEN :currency ELSE currency END,
       active = coalesce(:active, active), updated_at = now()
     WHERE id = :serviceId AND tenant_id = :tenantId RETURNING ${COLUMNS}`,
    {
      tenantId: input.tenantId, serviceId: input.serviceId, name: f.name ?? null, durationMinutes: f.durationMinutes ?? null,
      bufferBeforeMinutes: f.bufferBeforeMinutes ?? null, bufferAfterMinutes: f.bufferAfterMinutes ?? null, active: f.active ?? null,
      priceGiven: f.priceCents !== undefined, priceCents: f.priceCents ?? null, currency: f.currency ?? null,
    });
  return row && plain(row);
}
