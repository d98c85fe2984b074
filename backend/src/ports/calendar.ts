import type { Transaction } from 'sequelize';

// Port: a calendar that knows when a tenant is open and holds its bookings. The built-in adapter keeps
// both in PostgreSQL; an external calendar (Google, Cal.com) would implement the same four calls.
// Calls take the caller's tenant-scoped transaction so a booking commits with its domain event.

/** 'HH:MM' wall-clock times in the calendar's zone; end may be '24:00'. */
export type TimeRange = { start: string; end: string };
/** weekday: 0 = Sunday ... 6 = Saturday. */
export type WeeklyHours = { weekday: number; ranges: TimeRange[] }[];
/** Replaces the weekly hours of `date` (YYYY-MM-DD); no ranges = closed all day. */
export type DateException = { date: string; ranges: TimeRange[]; reason?: string | null };
export type Interval = { start: Date; end: Date };

export type CalendarAvailability = {
  timeZone: string;
  weekly: WeeklyHours;
  exceptions: DateException[];
  /** Time already taken (confirmed bookings, their buffers included). */
  busy: Interval[];
};

export type CalendarEntry = {
  id: string;
  tenantId: string;
  serviceId: string;
  contactId: string | null;
  start: Date;
  end: Date;
  status: 'confirmed' | 'cancelled';
  source: 'agent' | 'staff' | 'api' | 'n8n';
  notes: string | null;
  timeZone: string;
};

export type NewEntry = Omit<CalendarEntry, 'id' | 'status'> & { agencyId: string; blocked: Interval; idempotencyKey?: string };

export interface CalendarPort {
  availability(tx: Transaction, query: { tenantId: string; from: Date; to: Date; ignoreEntryId?: string }): Promise<CalendarAvailability>;
  /** Holds the blocked interval; `created` false when the idempotency key was used before. Throws CONFLICT when taken. */
  reserve(tx: Transaction, entry: NewEntry): Promise<{ entry: CalendarEntry; created: boolean }>;
  /** Moves a confirmed entry; CONFLICT when the new time is taken, NOT_FOUND when no such confirmed entry. */
  move(tx: Transaction, change: { tenantId: string; entryId: string; start: Date; end: Date; blocked: Interval }): Promise<CalendarEntry>;
  /** Cancels an entry (its time becomes free); NOT_FOUND when unknown. */
  release(tx: Transaction, change: { tenantId: string; entryId: string; reason: string | null }): Promise<{ entry: CalendarEntry; changed: boolean }>;
}
