import { idempotencyKeyOf } from '../../http/idempotency-key.js';
import { actorFrom } from '../../http/request-context.js';
import { defineRoute, type RouteSpec } from '../../http/route-registry.js';
import { emptyQuery } from '../../http/schemas.js';
import { addBookingService, editBookingService, listAllBookingServices } from './manage-booking-services.js';
import { bookForCaller, cancelForCaller, getBooking, listBookings, rescheduleForCaller, searchFreeSlots, type BookingDeps } from './request-bookings.js';
import {
  bookingIdParams, bookingJson, bookingListView, bookingView, cancelBody, createBookingBody, createServiceBody, editServiceBody, exceptionBody,
  exceptionParams, hoursQuery, hoursView, listBookingsQuery, rescheduleBody, serviceIdParams, serviceListView, serviceView, slotListView,
  slotsQuery, weeklyHoursBody,
} from './schemas.js';
import { clearDateException, getBookingHours, setDateException, setWeeklyHours } from './set-booking-hours.js';

const read = { permission: 'tenant.bookings.read' } as const;
const write = { permission: 'tenant.bookings.write' } as const;
const manage = { permission: 'tenant.bookings.manage' } as const;
const common = { tag: 'bookings', scope: 'tenant' } as const;

// The built-in calendar: services, opening hours, free slots and bookings of the caller's tenant.
export function bookingRoutes(deps: BookingDeps): RouteSpec[] {
  return [
    defineRoute({ ...common, method: 'get', path: '/api/v1/booking/services', summary: 'Bookable services, inactive ones included', access: read,
      query: emptyQuery, response: serviceListView,
      handler: async ({ req }) => ({ services: await listAllBookingServices(deps, { actor: actorFrom(req) }) }) }),
    defineRoute({ ...common, method: 'post', path: '/api/v1/booking/services', status: 201, summary: 'Add a bookable service', access: manage,
      body: createServiceBody, response: serviceView,
      handler: ({ req, body }) => addBookingService(deps, { actor: actorFrom(req), service: body }) }),
    defineRoute({ ...common, method: 'patch', path: '/api/v1/booking/services/:serviceId', summary: 'Change a service (existing bookings keep their times)',
      access: manage, params: serviceIdParams, body: editServiceBody, response: serviceView,
      handler: ({ req, params, body }) => editBookingService(deps, { actor: actorFrom(req), serviceId: params.serviceId, edit: body }) }),
    defineRoute({ ...common, method: 'get', path: '/api/v1/booking/hours', summary: "Weekly hours and date exceptions, in the tenant's time zone",
      access: read, query: hoursQuery, response: hoursView,
      handler: ({ req, query }) => getBookingHours(deps, { actor: actorFrom(req), ...query }) }),
    defineRoute({ ...common, method: 'put', path: '/api/v1/booking/hours', summary: 'Replace the weekly hours (weekdays left out are closed)',
      access: manage, body: weeklyHoursBody,
      handler: async ({ req, body }) => { await setWeeklyHours(deps, { actor: actorFrom(req), weekly: body.weekly }); } }),
    defineRoute({ ...common, method: 'put', path: '/api/v1/booking/exceptions', summary: 'Set the special hours of a date ([] = closed all day)',
      access: manage, body: exceptionBody,
      handler: async ({ req, body }) => { await setDateException(deps, { actor: actorFrom(req), exception: body }); } }),
    defineRoute({ ...common, method: 'delete', path: '/api/v1/booking/exceptions/:date', summary: "Remove a date's exception (weekly hours apply again)",
      access: manage, params: exceptionParams,
      handler: async ({ req, params }) => { await clearDateException(deps, { actor: actorFrom(req), date: params.date }); } }),
    defineRoute({ ...common, method: 'get', path: '/api/v1/booking/slots', summary: 'Free start times of a service between from and to (at most 62 days)',
      access: read, query: slotsQuery, response: slotListView,
      handler: async ({ req, query }) => {
        const slots = await searchFreeSlots(deps, { actor: actorFrom(req), serviceId: query.serviceId, from: new Date(query.from), to: new Date(query.to), limit: query.limit });
        return { slots: slots.map((s) => ({ start: s.start.toISOString(), end: s.end.toISOString() })) };
      } }),
    defineRoute({ ...common, method: 'get', path: '/api/v1/bookings', summary: 'Bookings, earliest first, by contact, time window and status',
      access: read, query: listBookingsQuery, response: bookingListView,
      handler: async ({ req, query }) => {
        const { from, to, ...rest } = query;
        const bookings = await listBookings(deps, { actor: actorFrom(req), ...rest, from: from ? new Date(from) : undefined, to: to ? new Date(to) : undefined });
        return { bookings: bookings.map(bookingJson) };
      } }),
    defineRoute({ ...common, method: 'get', path: '/api/v1/bookings/:bookingId', summary: 'One booking (the reminder workflow checks it is still confirmed)',
      access: read, params: bookingIdParams, query: emptyQuery, response: bookingView,
      handler: async ({ req, params }) => bookingJson(await getBooking(deps, { actor: actorFrom(req), bookingId: params.bookingId })) }),
    defineRoute({ ...common, method: 'post', path: '/api/v1/bookings', status: 201,
      summary: 'Book a service at a start time (409 when taken or closed). Idempotency-Key: the same key returns the same booking with 200',
      access: write, body: createBookingBody, response: bookingView,
      handler: async ({ req, res, body }) => {
        const { booking, created } = await bookForCaller(deps, { actor: actorFrom(req), ...body, start: new Date(body.start), idempotencyKey: idempotencyKeyOf(req) });
        res.status(created ? 201 : 200).json(bookingJson(booking));
      } }),
    defineRoute({ ...common, method: 'post', path: '/api/v1/bookings/:bookingId/reschedule', summary: 'Move a confirmed booking (409 when the new time is taken)',
      access: write, params: bookingIdParams, body: rescheduleBody, response: bookingView,
      handler: async ({ req, params, body }) => bookingJson(await rescheduleForCaller(deps, { actor: actorFrom(req), bookingId: params.bookingId, start: new Date(body.start) })) }),
    defineRoute({ ...common, method: 'post', path: '/api/v1/bookings/:bookingId/cancel', summary: 'Cancel a booking and free its time (repeat: unchanged, no second event)',
      access: write, params: bookingIdParams, body: cancelBody, response: bookingView,
      handler: async ({ req, params, body }) => bookingJson(await cancelForCaller(deps, { actor: actorFrom(req), bookingId: params.bookingId, reason: body.reason })) }),
  ];
}
