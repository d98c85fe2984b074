import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import type { Sequelize } from 'sequelize';
import { FakeTwilio, TwilioWebhookSender, type TwilioAccount } from '../../../tests/fakes/twilio/index.js';
import { createSequelize } from '../../src/db/sequelize.js';
import { createLogger } from '../../src/logger.js';
import { validEnv } from '../support/env.js';
import { createPipelineTenant, type PipelineTenant } from '../support/pipeline-world.js';
import { PrivatePostgres, type PrivateDatabase } from '../support/private-postgres.js';
import { TEST_REDIS_KEY_PREFIX, TEST_REDIS_URL } from '../support/test-database.js';
import { WorkerFleet } from '../support/worker-fleet.js';
import { connectTwilio, expectExactlyOnce, insertBatch, SENDERS, tally } from './batch-world.js';
import { deliverUntilAcknowledged, paced, ServedApi, sleep, whenReachable, type Answer } from './postgres-world.js';

const BATCH = Number(process.env.RELIABILITY_BATCH ?? 1000);
const WORKERS = Number(process.env.RELIABILITY_WORKERS ?? 3);
const INBOUND = Number(process.env.RELIABILITY_INBOUND ?? 600);
/** How long the database stays away (on top of its own shutdown and start-up). */
const DOWN_MS = 4_000;
const ENCRYPTION_KEY = randomBytes(32);

/** The real API and worker processes' environment: the private PostgreSQL, this run's Redis prefix, the fake Twilio. */
function stackEnv(database: PrivateDatabase, fake: FakeTwilio, overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  const redis = new URL(TEST_REDIS_URL);
  redis.searchParams.set('keyPrefix', `${TEST_REDIS_KEY_PREFIX}pg-restart-${randomBytes(3).toString('hex')}:`);
  return validEnv({
    LOG_LEVEL: process.env.RELIABILITY_LOG_LEVEL ?? 'info',
    DATABASE_URL: database.appUrl,
    REDIS_URL: redis.toString(),
    ENCRYPTION_KEY: ENCRYPTION_KEY.toString('base64'),
    TWILIO_API_BASE_URL: fake.url,
    PIPELINE_CONCURRENCY: '20',
    PIPELINE_POLL_MS: '100',
    PIPELINE_JOB_LOCK_MS: '4000',
    PIPELINE_RELAY_LEASE_SECONDS: '8',
    PIPELINE_RETRY_BASE_MS: '200',
    PIPELINE_MAX_ATTEMPTS: '10',
    AGENT_POLL_MS: '100',
    ...overrides,
  });
}

describe('reliability: PostgreSQL restarted under load (a private server; the real worker processes, the fake Twilio)', function () {
  // Bounds for a heavily loaded runner (worker start-up alone took a minute at load 24 on 2 cores).
  this.timeout(720_000);
  let server: PrivatePostgres;
  let database: PrivateDatabase;
  let db: Sequelize;
  let fake: FakeTwilio;
  let tenant: PipelineTenant;
  let account: TwilioAccount;
  let fleet: WorkerFleet | undefined;
  let api: ServedApi | undefined;

  before(async function () {
    this.timeout(60_000);
    server = await PrivatePostgres.start();
  });
  beforeEach(async () => {
    database = await server.createDatabase(`sb_${randomBytes(4).toString('hex')}`);
    db = createSequelize(database.superuserUrl, createLogger({ logLevel: 'silent' }), { poolMax: 2 });
    fake = await FakeTwilio.start();
    fake.callbacks.enabled = false;
    tenant = await createPipelineTenant(db);
    account = fake.addAccount();
    await connectTwilio(db, tenant, { account, encryptionKey: ENCRYPTION_KEY, messagesPerSecond: 20 });
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && fleet) for (let i = 0; i < WORKERS; i += 1) console.log(fleet.output(i).slice(-30).join('\n'));
    await fleet?.stopAll();
    await api?.close();
    await fake.close();
    await db.close();
    fleet = undefined;
    api = undefined;
  });
  after(async () => {
    await server?.destroy();
  });

  /** Every worker process started is still the one running (none crashed, none was restarted), and none logged an unhandled rejection. */
  const expectWorkersAlive = (children: { exitCode: number | null; signalCode: string | null }[]) => {
    expect(children.map((c) => c.exitCode ?? c.signalCode)).to.deep.equal(children.map(() => null));
    expect(children.map((_, i) => fleet!.unhandledRejections(i))).to.deep.equal(children.map(() => 0));
  };

  it(`when PostgreSQL restarts in the middle of a ${BATCH}-message outbound batch, then the workers carry on by themselves and Twilio accepts each message exactly once`, async () => {
    await insertBatch(db, tenant, BATCH);
    fake.faults.latencyMs = 10;
    fleet = new WorkerFleet(stackEnv(database, fake));
    const startedAt = Date.now();
    const children = Array.from({ length: WORKERS }, (_, i) => fleet!.start(i));
    const sent = async () => (await tally(db, tenant.tenantId)).statuses.sent ?? 0;

    await whenReachable(async () => ((await sent()) >= BATCH * 0.3 ? true : undefined), 300_000, 100).catch(async (err: Error) => {
      throw new Error(`${err.message}; ${JSON.stringify((await tally(db, tenant.tenantId)).statuses)}`);
    });
    const stoppedAt = Date.now();
    await server.stopServer('fast');
    await sleep(DOWN_MS);
    await server.startServer();
    const backAt = Date.now();
    const sentBefore = await whenReachable(sent, 10_000);
    const resumedAt = await whenReachable(async () => ((await sent()) > sentBefore ? Date.now() : undefined), 60_000, 100);
    const done = await whenReachable(async () => {
      const t = await tally(db, tenant.tenantId);
      return t.final === BATCH && t.outbox === 0 ? t : undefined;
    }, 300_000, 250);
    console.log(`      ${BATCH} messages final in ${Date.now() - startedAt} ms; database stopped at ${stoppedAt - startedAt} ms for ${backAt - stoppedAt} ms; ` +
      `sending resumed ${resumedAt - backAt} ms after it was back, all final ${Date.now() - backAt} ms after; ` +
      `Twilio: ${fake.requests.filter((r) => r.method === 'POST').length} POSTs, ${fake.requests.filter((r) => r.method === 'GET').length} lookups; ${JSON.stringify(done.statuses)}`);
    await expectExactlyOnce(db, tenant, fake, BATCH);
    expectWorkersAlive(children);
  });

  it(`when PostgreSQL crashes during a burst of ${INBOUND} signed inbound webhooks, then the API answers only 503 with Retry-After meanwhile and every delivery is stored and processed once`, async () => {
    // Webhooks find their tenant by our number (provider_numbers, as PUT /tenant/providers/twilio stores it).
    await db.query(`INSERT INTO provider_numbers (provider, address, agency_id, tenant_id) SELECT 'twilio', unnest(CAST(:numbers AS text[])), :agencyId, :tenantId`, {
      replacements: { ...tenant, numbers: `{${SENDERS.join(',')}}` },
    });
    api = await ServedApi.start((publicUrl) => stackEnv(database, fake, { PUBLIC_URL: publicUrl, LOG_LEVEL: 'silent' }));
    fleet = new WorkerFleet(stackEnv(database, fake, { PUBLIC_URL: api.url, LOG_LEVEL: 'info' }));
    const children = [fleet.start(0)];
    await fleet.ready(0, 60_000);
    const twilio = new TwilioWebhookSender({ publicUrl: api.url, deliverTo: api.url, accountSid: account.sid, authToken: account.authToken });
    const webhooks = Array.from({ length: INBOUND }, (_, i) =>
      twilio.inboundSmsWebhook({ from: `+1202555${String(100 + (i % 60)).padStart(4, '0')}`, to: SENDERS[i % SENDERS.length]!, body: `Inbound ${i}` }));
    const answers: Answer[] = [];

    const startedAt = Date.now();
    const burst = paced(webhooks, 20, 10, (webhook) => deliverUntilAcknowledged(twilio, webhook, answers));
    const acknowledged = () => answers.filter((a) => a.status === 200).length;
    await whenReachable(async () => (acknowledged() >= INBOUND / 3 ? true : undefined), 120_000, 20).catch((err: Error) => {
      throw new Error(`${err.message}; answers so far: ${JSON.stringify(countBy(answers.map((a) => a.status)))}`);
    });
    const stoppedAt = Date.now();
    await server.stopServer('immediate');
    const readyDown = await readiness(api.url);
    await sleep(DOWN_MS);
    await server.startServer();
    const backAt = Date.now();
    await burst;
    const readyUp = await readiness(api.url);
    const processed = await whenReachable(() => inboundState(db, tenant.tenantId, INBOUND), 90_000, 250);

    const during = answers.filter((a) => a.status !== 200);
    const firstAckAfter = answers.filter((a) => a.status === 200 && a.at > backAt).map((a) => a.at).sort((a, b) => a - b)[0] ?? NaN;
    console.log(`      ${INBOUND} deliveries, ${answers.length} requests: ${during.length} answered ${[...new Set(during.map((a) => a.status))].join('/')} while the database ` +
      `was away (${backAt - stoppedAt} ms, from ${stoppedAt - startedAt} ms); first acknowledgement ${firstAckAfter - backAt} ms after it was back; ` +
      `slowest answer ${Math.max(...answers.map((a) => a.ms))} ms; all processed ${Date.now() - backAt} ms after; ${JSON.stringify(processed)}`);
    expect(during.length, 'no delivery was refused while the database was away').to.be.greaterThan(0);
    expect(during.filter((a) => a.status !== 503 || !a.retryAfter), 'only 503 with Retry-After').to.deep.equal([]);
    expect(Math.max(...answers.map((a) => a.ms)), 'slowest answer (ms)').to.be.below(12_000);
    expect(readyDown).to.deep.include({ status: 503, postgres: false });
    expect(readyUp.postgres).to.equal(true);
    expect(processed).to.deep.equal({ messages: INBOUND, distinct: INBOUND, queued: 0, undispatched: 0 });
    expectWorkersAlive(children);
  });
});

const countBy = (values: unknown[]) => values.reduce<Record<string, number>>((counts, v) => ({ ...counts, [String(v)]: (counts[String(v)] ?? 0) + 1 }), {});

async function readiness(apiUrl: string): Promise<{ status: number; postgres: boolean }> {
  const res = await fetch(`${apiUrl}/readyz`, { signal: AbortSignal.timeout(10_000) });
  const body = (await res.json()) as { checks: { postgres: { ok: boolean } } };
  return { status: res.status, postgres: body.checks.postgres.ok };
}

/** Inbound messages stored (each provider id once), deliveries left in the queue (parked ones included), message.received events not yet dispatched. */
async function inboundState(db: Sequelize, tenantId: string, expected: number) {
  const [[row]] = (await db.query(
    `SELECT (SELECT count(*)::int FROM messages WHERE tenant_id = :tenantId AND direction = 'inbound') AS messages,
       (SELECT count(DISTINCT provider_message_id)::int FROM messages WHERE tenant_id = :tenantId AND direction = 'inbound') AS distinct,
       (SELECT count(*)::int FROM inbound_queue WHERE tenant_id = :tenantId) AS queued,
       (SELECT count(*)::int FROM event_outbox WHERE tenant_id = :tenantId AND dispatched_at IS NULL) AS undispatched`,
    { replacements: { tenantId } },
  )) as [{ messages: number; distinct: number; queued: number; undispatched: number }[], unknown];
  return row!.messages >= expected && row!.queued === 0 && row!.undispatched === 0 ? row : undefined;
}
