import { z } from 'zod';
import { isoDateTime, uuid } from '../../http/schemas.js';

// 'HH:MM' (24h); an end may be 24:00 (midnight closing).
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 24-hour');
const closingClock = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'HH:MM, 24-hour (24:00 allowed)');
export const timeRange = z.strictObject({ start: clock, end: closingClock }).refine((r) => r.start < r.end, { message: 'start must be before end', path: ['end'] });
const ranges = z.array(timeRange).max(12).refine(noOverlap, 'ranges must not overlap');
function noOverlap(rs: { start: string; end: string }[]): boolean {
  const sorted = [...rs].sort((a, b) => a.start.localeCompare(b.start));
  return sorted.every((r, i) => i === 0 || sorted[i - 1]!.end <= r.start);
}
export const isoDay = z.iso.date();

const currency = z.string().regex(/^[A-Za-z]{3}$/, 'an ISO 4217 code, e.g. usd').transform((c) => c.toLowerCase());
const serviceShape = {
  name: z.string().trim().min(1).max(200),
  durationMinutes: z.number().int().min(5).max(720),
  bufferBeforeMinutes: z.number().int().min(0).max(240),
  bufferAfterMinutes: z.number().int().min(0).max(240),
  priceCents: z.number().int().min(0).max(100_000_000).nullable(),
  currency: currency.nullable(),
  active: z.boolean(),
};
const priceWithCurrency = (b: { priceCents?: number | null; currency?: string | null }) =>
  (b.priceCents === undefined) === (b.currency === undefined) && (b.priceCents === null) === (b.currency === null);
const priceIssue = { message: 'priceCents and currency go together (both set or both null)', path: ['currency'] };

export const createServiceBody = z.strictObject({
  ...serviceShape,
  bufferBeforeMinutes: serviceShape.bufferBeforeMinutes.default(0),
  bufferAfterMinutes: serviceShape.bufferAfterMinutes.default(0),
  priceCents: serviceShape.priceCents.default(null),
  currency: serviceShape.currency.default(null),
  active: serviceShape.active.default(true),
}).refine(priceWithCurrency, priceIssue);
export const editServiceBody = z.strictObject(serviceShape).partial()
  .refine((b) => Object.keys(b).length > 0, 'give at least one field').refine(priceWithCurrency, priceIssue);
export const serviceIdParams = z.strictObject({ serviceId: uuid });
export const serviceView = z.object({ id: uuid, ...serviceShape, currency: z.string().nullable() });
export const serviceListView = z.object({ services: z.array(serviceView) });

export const weeklyHoursBody = z.strictObject({
  weekly: z.array(z.strictObject({ weekday: z.number().int().min(0).max(6).describe('0 = Sunday ... 6 = Saturday'), ranges }))
    .max(7).refine((days) => new Set(days.map((d) => d.weekday)).size === days.length, 'each weekday at most once'),
});
export const exceptionParams = z.strictObject({ date: isoDay });
export const exceptionBody = z.strictObject({
  date: isoDay,
  ranges: ranges.describe('Special hours for the date; [] = closed all day'),
  reason: z.string().trim().max(200).optional(),
});
export const hoursQuery = z.strictObject({ from: isoDay.optional(), to: isoDay.optional() });
export const hoursView = z.object({
  timeZone: z.string(),
  weekly: weeklyHoursBody.shape.weekly,
  exceptions: z.array(z.object({ date: z.string(), ranges: z.array(timeRange), reason: z.string().nullable().optional() })),
});

export const slotsQuery = z.strictObject({
  serviceId: uuid,
  from: isoDateTime,
  to: isoDateTime,
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export const slotListView = z.object({ timeZone: z.string().optional(), slots: z.array(z.object({ start: isoDateTime, end: isoDateTime })) });

export const bookingIdParams = z.strictObject({ bookingId: uuid });
export const createBookingBody = z.strictObject({
  serviceId: uuid,
  contactId: uuid.nullable().default(null),
  start: isoDateTime,
  notes: z.string().trim().max(2000).optional(),
  source: z.enum(['api', 'n8n', 'agent']).optional().describe('For service tokens; sessions always book as staff'),
});
export const rescheduleBody = z.strictObject({ start: isoDateTime });
export const cancelBody = z.strictObject({ reason: z.string().trim().max(500).optional() });
export const listBookingsQuery = z.strictObject({
  contactId: uuid.optional(),
  from: isoDateTime.optional(),
  to: isoDateTime.optional(),
  status: z.enum(['confirmed', 'cancelled']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const bookingView = z.object({
  id: uuid, tenantId: uuid, serviceId: uuid, contactId: uuid.nullable(), start: isoDateTime, end: isoDateTime,
  status: z.enum(['confirmed', 'cancelled']), source: z.enum(['agent', 'staff', 'api', 'n8n']), notes: z.string().nullable(), timeZone: z.string(),
});
export const bookingListView = z.object({ bookings: z.array(bookingView) });

/** JSON form of a booking (Dates as ISO strings). */
export function bookingJson(b: { start: Date; end: Date } & Record<string, unknown>) {
  return bookingView.parse({ ...b, start: new Date(b.start).toISOString(), end: new Date(b.end).toISOString() });
}
