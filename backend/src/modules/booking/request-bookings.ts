import type { ScopedDeps } from '../../db/scoped-deps.js';
import { AppError } from '../../http/errors.js';
import type { Actor } from '../../http/request-context.js';
import type { EventBus } from '../../ports/events.js';
import { tenantScopeOf } from '../contacts/contact-scope.js';
import { selectBooking, selectBookings } from './booking-repository.js';
import type { Booking } from './booking-types.js';
import { cancelBooking } from './cancel-booking.js';
import { createBookingOnce } from './create-booking.js';
import { findFreeSlots } from './find-free-slots.js';
import { rescheduleBooking } from './reschedule-booking.js';

// The HTTP side of the contract functions: the scope comes from the caller, never from the request.
export type BookingDeps = ScopedDeps & { events: EventBus };

export async function searchFreeSlots(deps: ScopedDeps, input: { actor: Actor; serviceId: string; from: Date; to: Date; limit: number }) {
  const scope = tenantScopeOf(input.actor);
  return deps.runInScope(scope, (tx) => findFreeSlots(tx, { ...input, tenantId: scope.tenantId }));
}

/** People book as staff; machines say which kind of caller they are (default api). */
function sourceOf(actor: Actor, requested?: 'api' | 'n8n' | 'agent'): Booking['source'] {
  return actor.principal.kind === 'user' ? 'staff' : (requested ?? 'api');
}

export async function bookForCaller(
  deps: BookingDeps,
  input: { actor: Actor; serviceId: string; contactId: string | null; start: Date; notes?: string; source?: 'api' | 'n8n' | 'agent'; idempotencyKey?: string },
): Promise<{ booking: Booking; created: boolean }> {
  const scope = tenantScopeOf(input.actor);
  const { actor, source, ...rest } = input;
  return deps.runInScope(scope, (tx) => createBookingOnce(tx, deps.events, { ...scope, ...rest, source: sourceOf(actor, source) }));
}

export async function rescheduleForCaller(deps: BookingDeps, input: { actor: Actor; bookingId: string; start: Date }): Promise<Booking> {
  const scope = tenantScopeOf(input.actor);
  return deps.runInScope(scope, (tx) => rescheduleBooking(tx, deps.events, { ...scope, bookingId: input.bookingId, start: input.start }));
}

export async function cancelForCaller(deps: BookingDeps, input: { actor: Actor; bookingId: string; reason?: string }): Promise<Booking> {
  const scope = tenantScopeOf(input.actor);
  return deps.runInScope(scope, (tx) => cancelBooking(tx, deps.events, { ...scope, bookingId: input.bookingId, reason: input.reason }));
}

export async function getBooking(deps: ScopedDeps, input: { actor: Actor; bookingId: string }): Promise<Booking> {
  const scope = tenantScopeOf(input.actor);
  const booking = await deps.runInScope(scope, (tx) => selectBooking(tx, { tenantId: scope.tenantId, bookingId: input.bookingId }));
  if (!booking) throw new AppError('NOT_FOUND', 'Booking not found');
  return booking;
}

export async function listBookings(
  deps: ScopedDeps,
  input: { actor: Actor; contactId?: string; from?: Date; to?: Date; status?: Booking['status']; limit: number },
): Promise<Booking[]> {
  const scope = tenantScopeOf(input.actor);
  const { actor: _actor, ...where } = input;
  return deps.runInScope(scope, (tx) => selectBookings(tx, { tenantId: scope.tenantId, ...where }));
}
