import type { CalendarEntry } from '../../ports/calendar.js';

export type BookingService = {
  id: string;
  name: string;
  durationMinutes: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  priceCents: number | null;
  currency: string | null;
  active: boolean;
};

export type Booking = CalendarEntry;
export type BookingStatus = Booking['status'];
export type BookingSource = Booking['source'];

export type FreeSlot = { start: Date; end: Date };
