import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import request from 'supertest';
import { queueMetricsRegistry } from '../../src/metrics/queue-metrics.js';
import { createSendQueues, type SendQueues } from '../../src/modules/outbox/send-queues.js';
import { startMetricsServer, type MetricsServer } from '../../src/metrics/metrics-server.js';
import { Browser } from '../support/browser.js';
import { startIdentityApp, type IdentityApp } from '../support/identity-app.js';
import { createAgency, createPerson, createTenant } from '../support/identity-world.js';
import { TEST_REDIS_KEY_PREFIX, TEST_REDIS_URL } from '../support/test-database.js';

/** The value of one series in a Prometheus text exposition (0 when the series is absent). */
function sample(text: string, name: string, labels: Record<string, string>): number {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = (match[2] ?? '').split(',');
    if (wanted.every((pair) => present.includes(pair))) return Number(match[3]);
  }
  return 0;
}

describe('Prometheus metrics (GET /metrics on the internal port)', () => {
  let world: IdentityApp;
  let api: MetricsServer;
  let worker: MetricsServer;
  let agencyId: string;
  let tenantId: string;
  let sendQueues: SendQueues;
  const scrape = async (server: MetricsServer) => {
    const res = await request(`http://127.0.0.1:${server.port}`).get('/metrics');
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.match(/^text\/plain/);
    return res.text;
  };

  before(async () => {
    world = startIdentityApp();
    agencyId = await createAgency(world.db);
    tenantId = await createTenant(world.db, agencyId);
    const logger = world.container.logger;
    api = await startMetricsServer({ host: '127.0.0.1', port: 0, logger });
    // What the worker serves: the same process metrics plus the queue gauges, read through the app role (RLS).
    const redisUrl = new URL(TEST_REDIS_URL);
    redisUrl.searchParams.set('keyPrefix', `${TEST_REDIS_KEY_PREFIX}metrics-${randomUUID()}:`);
    sendQueues = createSendQueues({ redisUrl: redisUrl.toString() });
    const bullQueues = () => [sendQueues.queue('sms')];
    const queues = queueMetricsRegistry({ sequelize: world.container.sequelize, bullQueues, logger });
    worker = await startMetricsServer({ host: '127.0.0.1', port: 0, logger, extra: [queues] });
  });
  after(async () => {
    await api?.close();
    await worker?.close();
    await sendQueues?.close();
    await world?.close();
  });

  it('when API requests name a contact by id, then latency is counted under the route template, never the raw id', async () => {
    const person = await createPerson(world.db, [{ agencyId, tenantId, role: 'tenant_admin' }]);
    const browser = new Browser(world.app);
    expect((await browser.signIn(person.email, person.password)).status).to.equal(200);
    const before = sample(await scrape(api), 'switchboard_http_request_duration_seconds_count', { method: 'GET', route: '/api/v1/contacts/:contactId', status_class: '4xx' });
    const missingId = randomUUID();
    expect((await browser.get(`/api/v1/contacts/${missingId}`)).status).to.equal(404);
    expect((await browser.get(`/api/v1/contacts/${randomUUID()}`)).status).to.equal(404);

    const text = await scrape(api);
    const after = sample(text, 'switchboard_http_request_duration_seconds_count', { method: 'GET', route: '/api/v1/contacts/:contactId', status_class: '4xx' });
    expect(after - before).to.equal(2);
    expect(text).to.not.contain(missingId);
    expect(text).to.contain('switchboard_process_resident_memory_bytes');
  });

  it('when a path matches no route, then it is counted as "unmatched" (a scanner cannot grow the label set)', async () => {
    const probe = `/no-such-page-${randomUUID()}`;
    expect((await request(world.app).get(probe)).status).to.equal(404);
    const text = await scrape(api);
    expect(text).to.not.contain(probe);
    expect(sample(text, 'switchboard_http_request_duration_seconds_count', { method: 'GET', route: 'unmatched', status_class: '4xx' })).to.be.greaterThan(0);
  });

  it('when a pending outbox row waits, then the queue gauges count it and its age', async () => {
    const before = sample(await scrape(worker), 'switchboard_queue_pending', { queue: 'outbox' });
    await world.db.query(
      `INSERT INTO message_outbox (agency_id, tenant_id, message_id, channel, available_at) VALUES (:agencyId, :tenantId, :messageId, 'sms', now() - interval '2 minutes')`,
      { replacements: { agencyId, tenantId, messageId: randomUUID() } },
    );
    const text = await scrape(worker);
    expect(sample(text, 'switchboard_queue_pending', { queue: 'outbox' }) - before).to.equal(1);
    expect(sample(text, 'switchboard_queue_oldest_due_age_seconds', { queue: 'outbox' })).to.be.at.least(119);
    for (const queue of ['inbound', 'agent_turns', 'event_relay', 'event_deliveries']) {
      expect(text, queue).to.match(new RegExp(`^switchboard_queue_pending\\{queue="${queue}"\\} \\d+$`, 'm'));
    }
    expect(text).to.match(/^switchboard_whatsapp_sessions\{state="banned"\} \d+$/m);
  });

  it('when a send job waits in its bull queue, then the bull gauge counts it by state', async () => {
    await sendQueues.queue('sms').add({ messageId: randomUUID(), tenantId, agencyId }, { delay: 60_000 });
    const text = await scrape(worker);
    expect(sample(text, 'switchboard_bull_jobs', { queue: 'send:sms', state: 'delayed' })).to.equal(1);
    expect(sample(text, 'switchboard_bull_jobs', { queue: 'send:sms', state: 'active' })).to.equal(0);
  });

  it('when a Twilio webhook arrives with a forged signature, then it is refused and the verification failure is counted', async () => {
    const before = sample(await scrape(api), 'switchboard_webhook_signature_failures_total', { provider: 'twilio' });
    const res = await request(world.app)
      .post('/webhooks/twilio/sms/inbound')
      .set('x-twilio-signature', 'Zm9yZ2VkIHNpZ25hdHVyZQ==')
      .type('form')
      .send({ MessageSid: `SM${'0'.repeat(32)}`, From: '+15005550006', To: '+15005550001', Body: 'hi' });
    expect(res.status).to.equal(403);
    const after = sample(await scrape(api), 'switchboard_webhook_signature_failures_total', { provider: 'twilio' });
    expect(after - before).to.equal(1);
  });

  it('when anything but GET /metrics is asked, then the metrics port answers 404', async () => {
    expect((await request(`http://127.0.0.1:${api.port}`).get('/api/v1/auth/me')).status).to.equal(404);
  });
});
