// The booking module's surface for other modules (the AI agent runtime). Every function takes a
// transaction already scoped to the tenant (deps.runInScope) and, for changes, the event bus, so the
// booking and its event commit together.
export type { Booking, BookingService, FreeSlot } from './booking-types.js';
export { listBookingServices } from './list-booking-services.js';
export { findFreeSlots } from './find-free-slots.js';
export { createBooking } from './create-booking.js';
export { rescheduleBooking } from './reschedule-booking.js';
export { cancelBooking } from './cancel-booking.js';
export { listContactBookings } from './list-contact-bookings.js';
