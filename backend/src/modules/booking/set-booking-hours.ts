import type { ScopedDeps } from '../../db/scoped-deps.js';
import { AppError } from '../../http/errors.js';
import type { Actor } from '../../http/request-context.js';
import type { CalendarAvailability, DateException, WeeklyHours } from '../../ports/calendar.js';
import { tenantScopeOf } from '../contacts/contact-scope.js';
import { auditBookingSetting } from './booking-audit.js';
import { calendar } from './booking-calendar.js';
import { deleteDateException, replaceDateException, replaceWeeklyHours } from './booking-hours-repository.js';

// Opening hours are wall-clock times in the tenant's time zone (tenants.time_zone), so they follow DST.

/** Weekly hours and the exceptions between two dates (default: the next 90 days). */
export async function getBookingHours(
  deps: ScopedDeps,
  input: { actor: Actor; from?: string; to?: string },
): Promise<Omit<CalendarAvailability, 'busy'>> {
  const scope = tenantScopeOf(input.actor);
  const from = input.from ? new Date(`${input.from}T00:00:00Z`) : new Date();
  const to = input.to ? new Date(`${input.to}T23:59:59Z`) : new Date(from.getTime() + 90 * 86_400_000);
  if (!(from <= to)) throw new AppError('VALIDATION_FAILED', 'The request is not valid', [{ path: 'query.to', message: 'must not be before from' }]);
  const { timeZone, weekly, exceptions } = await deps.runInScope(scope, (tx) => calendar.availability(tx, { tenantId: scope.tenantId, from, to }));
  const [first, last] = [from.toISOString().slice(0, 10), to.toISOString().slice(0, 10)];
  return { timeZone, weekly, exceptions: exceptions.filter((e) => e.date >= first && e.date <= last) };
}

export async function setWeeklyHours(deps: ScopedDeps, input: { actor: Actor; weekly: WeeklyHours }): Promise<void> {
  const scope = tenantScopeOf(input.actor);
  await deps.runInScope(scope, async (tx) => {
    await replaceWeeklyHours(tx, { ...scope, weekly: input.weekly });
    await auditBookingSetting(tx, { scope, actor: input.actor, action: 'booking_hours.replaced', target: { type: 'booking_hours', id: scope.tenantId }, after: { weekly: input.weekly } });
  });
}

export async function setDateException(deps: ScopedDeps, input: { actor: Actor; exception: DateException }): Promise<void> {
  const scope = tenantScopeOf(input.actor);
  await deps.runInScope(scope, async (tx) => {
    await replaceDateException(tx, { ...scope, exception: input.exception });
    await auditBookingSetting(tx, { scope, actor: input.actor, action: 'booking_exception.set', target: { type: 'booking_exception', id: input.exception.date }, after: input.exception });
  });
}

export async function clearDateException(deps: ScopedDeps, input: { actor: Actor; date: string }): Promise<void> {
  const scope = tenantScopeOf(input.actor);
  await deps.runInScope(scope, async (tx) => {
    if (!(await deleteDateException(tx, { tenantId: scope.tenantId, date: input.date }))) throw new AppError('NOT_FOUND', 'No exception on this date');
    await auditBookingSetting(tx, { scope, actor: input.actor, action: 'booking_exception.removed', target: { type: 'booking_exception', id: input.date } });
  });
}
