import { expect } from 'chai';
import type { Sequelize } from 'sequelize';
import request from 'supertest';
import { withScope } from '../../src/db/tenant-scope.js';
import { builtinCalendar } from '../../src/adapters/calendar/builtin.js';
import { AppError } from '../../src/http/errors.js';
import { cancelBooking, createBooking, findFreeSlots, listBookingServices, listContactBookings } from '../../src/modules/booking/booking-api.js';
import { createAgencyWorld, superuserSequelize, type WorldAgency } from '../support/accounts-world.js';
import { insertContact } from '../support/messaging-world.js';
import { memberPrincipal, TestApi } from '../support/test-api.js';

// A fixed future day far enough ahead that "never in the past" does not interfere, in a DST-observing zone.
const DAY = '2031-04-09'; // a Wednesday; New York is on EDT (UTC-4)
const local = (hhmm: string) => new Date(`${DAY}T${hhmm}:00-04:00`);

describe('booking: built-in calendar, conflicts in the database, events, tenant isolation', () => {
  let db: Sequelize;
  let api: TestApi;
  let world: WorldAgency;
  let serviceId: string;
  const tenantA = () => world.tenants[0];
  const tenantB = () => world.tenants[1];
  const adminA = () => api.signIn(memberPrincipal(world.id, tenantA().users.tenant_admin));
  const memberA = () => api.signIn(memberPrincipal(world.id, tenantA().users.tenant_member));
  const adminB = () => api.signIn(memberPrincipal(world.id, tenantB().users.tenant_admin));
  const scopeA = () => ({ agencyId: world.id, tenantId: tenantA().id });
  const inA = <T>(work: Parameters<typeof withScope<T>>[2]) => withScope(api.container.sequelize, scopeA(), work);

  async function eventsOf(bookingId: string): Promise<string[]> {
    const [rows] = (await db.query(`SELECT type FROM event_outbox WHERE data->>'bookingId' = :bookingId ORDER BY occurred_at`, {
      replacements: { bookingId },
    })) as [{ type: string }[], unknown];
    return rows.map((r) => r.type);
  }
  const book = (headers: Record<string, string>, start: Date, extra: Record<string, unknown> = {}) =>
    request(api.app).post('/api/v1/bookings').set(headers).send({ serviceId, start: start.toISOString(), ...extra });

  before(async () => {
    db = superuserSequelize();
    api = TestApi.create();
    world = await createAgencyWorld(db);
    await db.query(`UPDATE tenants SET time_zone = 'America/New_York' WHERE id = :id`, { replacements: { id: tenantA().id } });
    const service = await request(api.app).post('/api/v1/booking/services').set(adminA())
      .send({ name: 'Teeth cleaning', durationMinutes: 45, bufferAfterMinutes: 15, priceCents: 9000, currency: 'USD' }).expect(201);
    serviceId = service.body.id;
    expect(service.body).to.include({ durationMinutes: 45, bufferBeforeMinutes: 0, bufferAfterMinutes: 15, currency: 'usd', active: true });
    const weekly = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, ranges: [{ start: '09:00', end: '12:00' }, { start: '13:00', end: '17:00' }] }));
    await request(api.app).put('/api/v1/booking/hours').set(adminA()).send({ weekly }).expect(204);
  });
  after(async () => {
    await api.close();
    await db.close();
  });

  it("when free slots are asked for, then they follow the tenant's New York hours, lunch break and buffers", async () => {
    const res = await request(api.app).get('/api/v1/booking/slots').set(memberA())
      .query({ serviceId, from: local('00:00').toISOString(), to: local('23:59').toISOString(), limit: 500 }).expect(200);
    const starts = (res.body.slots as { start: string }[]).map((s) => s.start);
    expect(starts[0]).to.equal('2031-04-09T13:00:00.000Z');
    expect(starts).to.include('2031-04-09T15:15:00.000Z'); // 11:15-12:00 local, the last morning start
    expect(starts).not.to.include('2031-04-09T15:30:00.000Z'); // would end 12:15, into lunch
    expect(starts).to.include('2031-04-09T17:00:00.000Z'); // 13:00 local
    expect(starts.at(-1)).to.equal('2031-04-09T20:15:00.000Z'); // 16:15 local
    expect(starts).to.have.length(10 + 14);
  });

  it('when a booking is made twice with the same Idempotency-Key, then one booking, 201 then 200, and one booking.created', async () => {
    const contact = await insertContact(db, scopeA());
    const first = await book({ ...memberA(), 'idempotency-key': 'lead-42-tuesday' }, local('09:00'), { contactId: contact.id }).expect(201);
    const again = await book({ ...memberA(), 'idempotency-key': 'lead-42-tuesday' }, local('09:00'), { contactId: contact.id }).expect(200);
    expect(again.body.id).to.equal(first.body.id);
    expect(first.body).to.include({ status: 'confirmed', source: 'staff', timeZone: 'America/New_York', start: '2031-04-09T13:00:00.000Z', end: '2031-04-09T13:45:00.000Z' });
    expect(await eventsOf(first.body.id)).to.deep.equal(['booking.created']);
    const upcoming = await inA((tx) => listContactBookings(tx, { tenantId: tenantA().id, contactId: contact.id, upcomingOnly: true }));
    expect(upcoming.map((b) => b.id)).to.deep.equal([first.body.id]);
  });

  it('when five requests book the same slot at once, then exactly one wins and four get 409', async () => {
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => book(memberA(), local('10:00'))));
    expect(results.map((r) => r.status).sort()).to.deep.equal([201, 409, 409, 409, 409]);
    const [rows] = (await db.query(`SELECT count(*)::int AS n FROM bookings WHERE tenant_id = :t AND starts_at = :s`, {
      replacements: { t: tenantA().id, s: local('10:00').toISOString() },
    })) as [{ n: number }[], unknown];
    expect(rows[0]!.n).to.equal(1);
  });

  it('when four requests with the same Idempotency-Key race, then they all get the one booking and only one is 201', async () => {
    const results = await Promise.all([1, 2, 3, 4].map(() => book({ ...memberA(), 'idempotency-key': 'retrying-client-7' }, new Date('2031-04-08T13:00:00Z'))));
    expect(results.map((r) => r.status).sort()).to.deep.equal([200, 200, 200, 201]);
    expect(new Set(results.map((r) => r.body.id)).size).to.equal(1);
    expect(await eventsOf(results[0]!.body.id)).to.deep.equal(['booking.created']);
  });

  it('when two transactions both saw the slot free before inserting, then the exclusion constraint lets one commit and the other gets CONFLICT', async () => {
    const start = local('14:00');
    let arrived = 0;
    let release!: () => void;
    const barrier = new Promise<void>((resolve) => { release = resolve; });
    const attempt = (note: string) => inA(async (tx) => {
      const seen = await builtinCalendar.availability(tx, { tenantId: tenantA().id, from: start, to: local('15:00') });
      expect(seen.busy).to.deep.equal([]); // both really did see it free
      if (++arrived === 2) release();
      await barrier;
      return builtinCalendar.reserve(tx, {
        agencyId: world.id, tenantId: tenantA().id, serviceId, contactId: null, start, end: local('14:45'),
        blocked: { start, end: local('15:00') }, source: 'agent', notes: note, timeZone: 'America/New_York',
      });
    });
    const outcomes = await Promise.allSettled([attempt('first'), attempt('second')]);
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(won).to.have.length(1);
    expect(lost).to.have.length(1);
    expect(lost[0]!.reason).to.be.instanceOf(AppError).and.to.include({ code: 'CONFLICT', status: 409 });
  });

  it('when a booking is moved into a taken slot (buffers included), then 409; into a free one, then booking.rescheduled once', async () => {
    const moving = await book(memberA(), local('15:00')).expect(201);
    // 10:00-10:45 is booked, its 15 min after-buffer holds until 11:00: 10:50 collides, 11:00 does not.
    await request(api.app).post(`/api/v1/bookings/${moving.body.id}/reschedule`).set(memberA()).send({ start: local('10:50').toISOString() }).expect(409);
    const moved = await request(api.app).post(`/api/v1/bookings/${moving.body.id}/reschedule`).set(memberA()).send({ start: local('11:00').toISOString() }).expect(200);
    expect(moved.body).to.include({ start: '2031-04-09T15:00:00.000Z', end: '2031-04-09T15:45:00.000Z', status: 'confirmed' });
    expect(await eventsOf(moving.body.id)).to.deep.equal(['booking.created', 'booking.rescheduled']);
  });

  it('when a booking is cancelled, then its slot is free again, and a second cancel changes nothing and emits nothing', async () => {
    const taken = await book(memberA(), local('16:00')).expect(201);
    await book(memberA(), local('16:00')).expect(409);
    const cancelled = await request(api.app).post(`/api/v1/bookings/${taken.body.id}/cancel`).set(memberA()).send({ reason: 'Lead asked' }).expect(200);
    expect(cancelled.body.status).to.equal('cancelled');
    await request(api.app).post(`/api/v1/bookings/${taken.body.id}/cancel`).set(memberA()).send({}).expect(200);
    expect(await eventsOf(taken.body.id)).to.deep.equal(['booking.created', 'booking.cancelled']);
    const slots = await inA((tx) => findFreeSlots(tx, { tenantId: tenantA().id, serviceId, from: local('16:00'), to: local('16:01') }));
    expect(slots.map((s) => s.start.toISOString())).to.deep.equal(['2031-04-09T20:00:00.000Z']);
    await book(memberA(), local('16:00')).expect(201);
  });

  it('when a start is outside opening hours, on a closed date or in the past, then 409 and nothing is stored', async () => {
    await book(memberA(), local('12:15')).expect(409); // lunch
    await book(memberA(), new Date('2031-04-12T14:00:00Z')).expect(409); // Saturday
    await book(memberA(), new Date(Date.now() - 3_600_000)).expect(409);
    await request(api.app).put('/api/v1/booking/exceptions').set(adminA()).send({ date: '2031-04-10', ranges: [], reason: 'Staff training' }).expect(204);
    await book(memberA(), new Date('2031-04-10T13:00:00Z')).expect(409);
    const hours = await request(api.app).get('/api/v1/booking/hours').set(memberA()).query({ from: '2031-04-01', to: '2031-04-30' }).expect(200);
    expect(hours.body.exceptions).to.deep.equal([{ date: '2031-04-10', ranges: [], reason: 'Staff training' }]);
    await request(api.app).delete('/api/v1/booking/exceptions/2031-04-10').set(adminA()).expect(204);
    await request(api.app).delete('/api/v1/booking/exceptions/2031-04-10').set(adminA()).expect(404);
    const [audited] = (await db.query(`SELECT action, target_id AS "targetId" FROM audit_events WHERE tenant_id = :t AND action LIKE 'booking_%' ORDER BY seq`, {
      replacements: { t: tenantA().id },
    })) as [{ action: string; targetId: string }[], unknown];
    expect(audited.map((a) => a.action)).to.deep.equal(['booking_service.created', 'booking_hours.replaced', 'booking_exception.set', 'booking_exception.removed']);
    await book(memberA(), new Date('2031-04-10T13:00:00Z')).expect(201);
  });

  it("when tenant B reaches for tenant A's service, bookings or contact, then it sees nothing and books nothing", async () => {
    const booked = await book(memberA(), local('13:00')).expect(201);
    const services = await request(api.app).get('/api/v1/booking/services').set(adminB()).expect(200);
    expect(services.body.services).to.deep.equal([]);
    await book(adminB(), local('13:00')).expect(404);
    await request(api.app).get(`/api/v1/bookings/${booked.body.id}`).set(adminB()).expect(404);
    await request(api.app).post(`/api/v1/bookings/${booked.body.id}/cancel`).set(adminB()).send({}).expect(404);
    expect((await request(api.app).get('/api/v1/bookings').set(adminB()).expect(200)).body.bookings).to.deep.equal([]);
    // Through the contract: B's own service, A's contact.
    const scopeB = { agencyId: world.id, tenantId: tenantB().id };
    const contactOfA = await insertContact(db, scopeA());
    const [[serviceB]] = (await db.query(`INSERT INTO booking_services (agency_id, tenant_id, name, duration_minutes) VALUES (:agencyId, :tenantId, 'B svc', 30) RETURNING id`,
      { replacements: scopeB })) as [{ id: string }[], unknown];
    await db.query(`INSERT INTO booking_hours (agency_id, tenant_id, weekday, start_time, end_time) VALUES (:agencyId, :tenantId, 3, '00:00', '24:00')`, { replacements: scopeB });
    const attempt = withScope(api.container.sequelize, scopeB, (tx) => createBooking(tx, api.container.events, {
      ...scopeB, serviceId: serviceB!.id, contactId: contactOfA.id, start: local('09:00'), source: 'agent',
    }));
    const refused = await attempt.then(() => undefined, (err: unknown) => err);
    expect(refused).to.be.instanceOf(AppError).and.to.include({ code: 'NOT_FOUND', message: 'Contact not found' });
    const visible = await withScope(api.container.sequelize, scopeB, (tx) => listBookingServices(tx, { tenantId: tenantA().id }));
    expect(visible, 'RLS hides A even when asked by id').to.deep.equal([]);
    const stillThere = await inA((tx) => cancelBooking(tx, api.container.events, { ...scopeA(), bookingId: booked.body.id }));
    expect(stillThere.status).to.equal('cancelled');
  });

  it('when inputs are malformed, then 400 with the field named; a member may not edit services or hours', async () => {
    const bad = await book(memberA(), local('09:00'), { start: 'next tuesday' }).expect(400);
    expect(JSON.stringify(bad.body.error.details)).to.contain('start');
    const overlap = await request(api.app).put('/api/v1/booking/hours').set(adminA())
      .send({ weekly: [{ weekday: 1, ranges: [{ start: '09:00', end: '12:00' }, { start: '11:00', end: '13:00' }] }] }).expect(400);
    expect(JSON.stringify(overlap.body.error.details)).to.contain('overlap');
    await request(api.app).put('/api/v1/booking/hours').set(adminA()).send({ weekly: [{ weekday: 7, ranges: [] }] }).expect(400);
    await request(api.app).post('/api/v1/booking/services').set(adminA()).send({ name: 'x', durationMinutes: 30, priceCents: 100 }).expect(400);
    await request(api.app).get('/api/v1/booking/slots').set(memberA())
      .query({ serviceId, from: local('12:00').toISOString(), to: local('09:00').toISOString() }).expect(400);
    await request(api.app).get('/api/v1/booking/slots').set(memberA())
      .query({ serviceId, from: local('09:00').toISOString(), to: new Date(local('09:00').getTime() + 90 * 86_400_000).toISOString() }).expect(400);
    await request(api.app).post('/api/v1/booking/services').set(memberA()).send({ name: 'Whitening', durationMinutes: 60 }).expect(403);
    await request(api.app).put('/api/v1/booking/hours').set(memberA()).send({ weekly: [] }).expect(403);
  });
});
