import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import type { Sequelize } from 'sequelize';
import request from 'supertest';
import { loadConfig } from '../../src/config.js';
import { createContainer } from '../../src/container.js';
import { withScope } from '../../src/db/tenant-scope.js';
import { eventHandlers } from '../../src/modules/events/event-handlers.js';
import { verifyEventSignature } from '../../src/modules/events/event-signature.js';
import type { DomainEvent, EventType } from '../../src/ports/events.js';
import { createAgencyWorld, superuserSequelize, type WorldAgency } from '../support/accounts-world.js';
import { eventually } from '../support/pipeline-world.js';
import { insertToken } from '../support/route-cases.js';
import { memberPrincipal, TestApi, testEnv } from '../support/test-api.js';
import { startTestPipeline, TEST_ENCRYPTION_KEY, type TestPipeline } from '../support/test-pipeline.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

describe('event bus: outbox -> internal handlers + signed webhook deliveries', () => {
  let db: Sequelize;
  let api: TestApi;
  let world: WorldAgency;
  let receiver: WebhookReceiver;
  let pipeline: TestPipeline;
  const seen: DomainEvent[] = [];
  let failHandlerTimes = 0;

  before(async () => {
    db = superuserSequelize();
    api = new TestApi(createContainer(loadConfig(testEnv({ ENCRYPTION_KEY: TEST_ENCRYPTION_KEY.toString('base64') }))));
    world = await createAgencyWorld(db);
    receiver = await WebhookReceiver.start();
    const handlers = eventHandlers();
    handlers.on('call.*', async (event) => {
      if (failHandlerTimes-- > 0) throw new Error('agent runtime busy');
      seen.push(event);
    });
    pipeline = startTestPipeline({ adapters: [], handlers, config: { maxAttempts: 3, retryBaseMs: 100 } });
  });
  after(async () => {
    await pipeline.stop();
    await receiver.close();
    await api.close();
    await db.close();
  });

  const [tenantA, tenantB] = [() => world.tenants[0], () => world.tenants[1]];
  const adminOf = (tenant: () => WorldAgency['tenants'][0]) => api.signIn(memberPrincipal(world.id, tenant().users.tenant_admin));
  const publish = (tenantId: string, type: string, data: Record<string, unknown> = {}) =>
    api.container.events.publish({ type: type as EventType, agencyId: world.id, tenantId, data });

  async function subscribe(headers: Record<string, string>, body: Record<string, unknown>, path = '/api/v1/event-subscriptions') {
    const res = await request(api.app).post(path).set(headers).send(body).expect(201);
    return res.body as { subscription: { id: string }; secret: string };
  }

  it('when an event matches a subscription, then it is POSTed once, signed with the secret (helper and independent HMAC agree)', async () => {
    const secret = 'n8n-chosen-secret-0123456789';
    await subscribe(adminOf(tenantA), { url: receiver.url('/signed'), eventTypes: ['message.received'], secret });
    const event = await publish(tenantA().id, 'message.received', { body: 'Hi, is Tuesday free?' });
    const [delivery] = await eventually(async () => (receiver.at('/signed').length > 0 ? receiver.at('/signed') : undefined));
    const header = String(delivery!.headers['x-switchboard-signature']);
    expect(delivery!.headers['x-switchboard-event-id']).to.equal(event.id);
    expect(delivery!.headers['x-switchboard-event']).to.equal('message.received');
    expect(JSON.parse(delivery!.rawBody)).to.deep.include({ id: event.id, type: 'message.received', tenantId: tenantA().id, data: event.data });
    expect(verifyEventSignature(secret, header, delivery!.rawBody)).to.equal(true);
    const { t, v1 } = Object.fromEntries(header.split(',').map((kv) => kv.split('='))) as { t: string; v1: string };
    expect(v1).to.equal(createHmac('sha256', secret).update(`${t}.${delivery!.rawBody}`).digest('hex'));
    expect(Math.abs(Number(t) - Date.now() / 1000)).to.be.below(30);
    expect(verifyEventSignature('another-secret-entirely', header, delivery!.rawBody)).to.equal(false);
    expect(verifyEventSignature(secret, header, delivery!.rawBody.replace('Tuesday', 'Friday'))).to.equal(false);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.at('/signed')).to.have.length(1);
  });

  it('when the receiver answers 500 twice, then the delivery is retried with backoff and the log shows it delivered on attempt 3', async () => {
    receiver.respond = (req, count) => (req.path === '/flaky' && count <= 2 ? 500 : 200);
    const { subscription } = await subscribe(adminOf(tenantA), { url: receiver.url('/flaky'), eventTypes: ['call.completed'] });
    await publish(tenantA().id, 'call.completed', { durationSeconds: 42 });
    await eventually(async () => (receiver.at('/flaky').length >= 3 ? true : undefined));
    const times = receiver.at('/flaky').map((r) => r.at);
    expect(times[1]! - times[0]!).to.be.at.least(50);
    const log = await eventually(async () => {
      const res = await request(api.app).get(`/api/v1/event-subscriptions/${subscription.id}/deliveries`).set(adminOf(tenantA)).expect(200);
      return res.body.deliveries[0]?.status === 'delivered' ? res.body.deliveries[0] : undefined;
    });
    expect(log).to.include({ eventType: 'call.completed', status: 'delivered', attempts: 3, lastStatusCode: 200 });
  });

  it('when the receiver keeps failing, then the delivery ends failed after the last attempt with the error logged', async () => {
    receiver.respond = (req) => (req.path === '/down' ? 503 : 200);
    const { subscription } = await subscribe(adminOf(tenantA), { url: receiver.url('/down'), eventTypes: ['contact.opted_out'] });
    await publish(tenantA().id, 'contact.opted_out');
    const log = await eventually(async () => {
      const res = await request(api.app).get(`/api/v1/event-subscriptions/${subscription.id}/deliveries`).set(adminOf(tenantA)).expect(200);
      return res.body.deliveries[0]?.status === 'failed' ? res.body.deliveries[0] : undefined;
    });
    expect(log).to.include({ attempts: 3, lastStatusCode: 503, lastError: 'HTTP 503' });
    expect(receiver.at('/down')).to.have.length(3);
  });

  it('when subscriptions filter by exact type and wildcard, then each receives only matching events', async () => {
    await subscribe(adminOf(tenantA), { url: receiver.url('/bookings'), eventTypes: ['booking.*'] });
    await subscribe(adminOf(tenantA), { url: receiver.url('/missed'), eventTypes: ['call.missed'] });
    await subscribe(adminOf(tenantA), { url: receiver.url('/all'), eventTypes: ['*'] });
    for (const type of ['booking.created', 'booking.slot.held', 'call.missed', 'call.completed', 'message.status']) await publish(tenantA().id, type);
    await eventually(async () => (receiver.at('/all').length >= 5 ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const types = (path: string) => receiver.at(path).map((r) => r.headers['x-switchboard-event']).sort();
    expect(types('/bookings')).to.deep.equal(['booking.created', 'booking.slot.held']);
    expect(types('/missed')).to.deep.equal(['call.missed']);
    expect(types('/all')).to.have.length(5);
  });

  it("when tenants subscribe, then each gets only its own tenant's events, and an agency-wide subscription gets both", async () => {
    const tokenB = await insertToken(db, { agencyId: world.id, tenantId: tenantB().id, permissions: ['tenant.event_subscriptions.manage'] });
    const agencyToken = await insertToken(db, { agencyId: world.id, tenantId: null, permissions: ['agency.event_subscriptions.manage'] });
    const subA = await subscribe(adminOf(tenantA), { url: receiver.url('/iso-a'), eventTypes: ['message.*'] });
    const subB = await subscribe({ authorization: `Bearer ${tokenB.token}` }, { url: receiver.url('/iso-b'), eventTypes: ['message.*'] });
    await subscribe({ authorization: `Bearer ${agencyToken.token}` }, { url: receiver.url('/iso-agency'), eventTypes: ['message.*'] }, '/api/v1/agency/event-subscriptions');
    const eventA = await publish(tenantA().id, 'message.received', { who: 'a' });
    const eventB = await publish(tenantB().id, 'message.received', { who: 'b' });
    await eventually(async () => (receiver.at('/iso-agency').length >= 2 ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const ids = (path: string) => receiver.at(path).map((r) => r.headers['x-switchboard-event-id']);
    expect(ids('/iso-a')).to.deep.equal([eventA.id]);
    expect(ids('/iso-b')).to.deep.equal([eventB.id]);
    expect(ids('/iso-agency')).to.have.members([eventA.id, eventB.id]);

    const listB = await request(api.app).get('/api/v1/event-subscriptions').set({ authorization: `Bearer ${tokenB.token}` }).expect(200);
    expect(listB.body.subscriptions.map((s: { id: string }) => s.id)).to.deep.equal([subB.subscription.id]);
    expect(JSON.stringify(listB.body)).to.not.contain(subB.secret);
    await request(api.app).delete(`/api/v1/event-subscriptions/${subA.subscription.id}`).set({ authorization: `Bearer ${tokenB.token}` }).expect(404);
    await request(api.app).get(`/api/v1/event-subscriptions/${subA.subscription.id}/deliveries`).set({ authorization: `Bearer ${tokenB.token}` }).expect(404);
    await request(api.app).delete(`/api/v1/event-subscriptions/${subA.subscription.id}`).set(adminOf(tenantA)).expect(204);
    const [stored] = (await db.query(`SELECT secret_encrypted FROM event_subscriptions WHERE id = :id`, { replacements: { id: subB.subscription.id } })) as [
      { secret_encrypted: string }[],
      unknown,
    ];
    expect(stored[0]!.secret_encrypted).to.match(/^v1\./).and.not.contain(subB.secret);
  });

  it('when an event is published in a transaction that rolls back, then nothing is dispatched', async () => {
    await subscribe(adminOf(tenantA), { url: receiver.url('/rollback'), eventTypes: ['message.status'] });
    await withScope(api.container.sequelize, { agencyId: world.id, tenantId: tenantA().id }, async (transaction) => {
      await api.container.events.publish({ type: 'message.status', agencyId: world.id, tenantId: tenantA().id, data: {} }, { transaction });
      await transaction.rollback();
    }).catch(() => undefined);
    await publish(tenantA().id, 'message.status', { committed: true });
    await eventually(async () => (receiver.at('/rollback').length >= 1 ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.at('/rollback').map((r) => JSON.parse(r.rawBody).data)).to.deep.equal([{ committed: true }]);
  });

  it('when an internal handler fails, then the event is dispatched to it again later', async () => {
    failHandlerTimes = 1;
    const event = await publish(tenantB().id, 'call.missed', { from: '+15551230000' });
    const got = await eventually(async () => seen.find((e) => e.id === event.id));
    expect(got).to.deep.include({ type: 'call.missed', tenantId: tenantB().id });
  });
});
