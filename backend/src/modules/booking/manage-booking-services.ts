import type { ScopedDeps } from '../../db/scoped-deps.js';
import { AppError } from '../../http/errors.js';
import type { Actor } from '../../http/request-context.js';
import { tenantScopeOf } from '../contacts/contact-scope.js';
import { auditBookingSetting } from './booking-audit.js';
import { insertService, selectServices, updateService, type ServiceFields } from './booking-service-repository.js';
import type { BookingService } from './booking-types.js';

/** All of the caller's services, inactive ones included (staff view). */
export async function listAllBookingServices(deps: ScopedDeps, input: { actor: Actor }): Promise<BookingService[]> {
  const scope = tenantScopeOf(input.actor);
  return deps.runInScope(scope, (tx) => selectServices(tx, { tenantId: scope.tenantId }));
}

export async function addBookingService(deps: ScopedDeps, input: { actor: Actor; service: ServiceFields }): Promise<BookingService> {
  const scope = tenantScopeOf(input.actor);
  return deps.runInScope(scope, async (tx) => {
    const service = await insertService(tx, { ...scope, fields: input.service });
    await auditBookingSetting(tx, { scope, actor: input.actor, action: 'booking_service.created', target: { type: 'booking_service', id: service.id }, after: service });
    return service;
  });
}

/** Changing duration or buffers affects new bookings only; booked ones keep their times. */
export async function editBookingService(
  deps: ScopedDeps,
  input: { actor: Actor; serviceId: string; edit: Partial<ServiceFields> },
): Promise<BookingService> {
  const scope = tenantScopeOf(input.actor);
  return deps.runInScope(scope, async (tx) => {
    const service = await updateService(tx, { tenantId: scope.tenantId, serviceId: input.serviceId, fields: input.edit });
    if (!service) throw new AppError('NOT_FOUND', 'Service not found');
    await auditBookingSetting(tx, { scope, actor: input.actor, action: 'booking_service.updated', target: { type: 'booking_service', id: service.id }, after: input.edit });
    return service;
  });
}
