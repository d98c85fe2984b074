import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import type { Sequelize } from 'sequelize';
import { FakeTwilio } from '../../../tests/fakes/twilio/index.js';
import { superuserSequelize } from '../support/accounts-world.js';
import { testDatabase } from '../support/integration-hooks.js';
import { createPipelineTenant, eventually, type PipelineTenant } from '../support/pipeline-world.js';
import { TEST_REDIS_KEY_PREFIX, TEST_REDIS_URL } from '../support/test-database.js';
import { PrivateRedis, WorkerFleet } from '../support/worker-fleet.js';
import { connectTwilio, expectExactlyOnce, insertBatch, tally } from './batch-world.js';

const BATCH = Number(process.env.RELIABILITY_BATCH ?? 1000);
const WORKERS = Number(process.env.RELIABILITY_WORKERS ?? 3);
const MESSAGES_PER_SECOND = 20;
const ENCRYPTION_KEY = randomBytes(32);

/** The real worker (src/worker.ts: TwilioMessaging with the official SDK) pointed at the fake Twilio, with short timings. */
function workerEnv(redisUrl: string, fake: FakeTwilio): NodeJS.ProcessEnv {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.RELIABILITY_LOG_LEVEL ?? 'warn',
    // No API runs here: the fake's status callbacks are switched off, "sent" is the final state.
    PUBLIC_URL: 'https://switchboard.test',
    DATABASE_URL: testDatabase().appUrl,
    REDIS_URL: redisUrl,
    SESSION_SECRET: randomBytes(32).toString('base64'),
    CLIENT_ADDRESS_SECRET: randomBytes(32).toString('base64'),
    ENCRYPTION_KEY: ENCRYPTION_KEY.toString('base64'),
    TWILIO_API_BASE_URL: fake.url,
    PIPELINE_CONCURRENCY: '20',
    PIPELINE_POLL_MS: '100',
    PIPELINE_JOB_LOCK_MS: '4000',
    PIPELINE_RELAY_LEASE_SECONDS: '8',
    PIPELINE_RETRY_BASE_MS: '200',
    PIPELINE_MAX_ATTEMPTS: '10',
  };
}

/**
 * Twilio misbehaving the way it does in production while the batch runs: some latency, about one send
 * in 40 answered 503, one 429 with Retry-After, and twice a send that Twilio accepts but whose answer
 * never comes (the SDK times out: the worker must find it with a lookup instead of sending it again).
 * Faults follow the traffic (never queued ahead of it), so a slow tail is not failed over and over.
 */
function misbehave(fake: FakeTwilio): () => void {
  fake.faults.latencyMs = 10;
  const posts = () => fake.requests.filter((r) => r.method === 'POST').length;
  const once = new Set<string>();
  let lastFailureAt = 0;
  const timer = setInterval(() => {
    const seen = posts();
    if (fake.faults.queued.length > 0) return;
    const at = (name: string, count: number) => seen >= count && !once.has(name) && once.add(name);
    if (at('rate limit', 100)) fake.faults.rateLimitNext(1, 1);
    else if (at('hang 1', 150) || at('hang 2', 400)) fake.faults.acceptThenHangNext(1);
    else if (seen - lastFailureAt >= 40) {
      fake.faults.failNext(1, { status: 503 });
      lastFailureAt = seen;
    }
  }, 25);
  return () => clearInterval(timer);
}

describe(`reliability: a ${BATCH}-message batch, ${WORKERS} real worker processes, the fake Twilio`, function () {
  this.timeout(150_000);
  let db: Sequelize;
  let fake: FakeTwilio;
  let tenant: PipelineTenant;
  let fleet: WorkerFleet | undefined;
  let privateRedis: PrivateRedis | undefined;
  let calm: (() => void) | undefined;

  before(() => {
    db = superuserSequelize();
  });
  beforeEach(async () => {
    fake = await FakeTwilio.start();
    fake.callbacks.enabled = false;
    tenant = await createPipelineTenant(db);
    await connectTwilio(db, tenant, { account: fake.addAccount(), encryptionKey: ENCRYPTION_KEY, messagesPerSecond: MESSAGES_PER_SECOND });
    await insertBatch(db, tenant, BATCH);
  });
  afterEach(async () => {
    calm?.();
    await fleet?.stopAll();
    await privateRedis?.kill();
    await fake.close();
    fleet = undefined;
    privateRedis = undefined;
  });
  after(async () => {
    await db.close();
  });

  const sentCount = async () => (await tally(db, tenant.tenantId)).statuses.sent ?? 0;
  const allFinal = () =>
    eventually(async () => {
      const t = await tally(db, tenant.tenantId);
      return t.final === BATCH && t.outbox === 0 ? t : undefined;
    }, 120_000, 250);
  const report = (what: string, startedAt: number, brokeAt: number, stuck: number, statuses: Record<string, number>) => {
    const posts = fake.requests.filter((r) => r.method === 'POST').length;
    const lookups = fake.requests.filter((r) => r.method === 'GET').length;
    const faults = fake.requests.filter((r) => r.fault).map((r) => r.fault!);
    console.log(`      ${BATCH} messages final in ${Date.now() - startedAt} ms (${what} at ${brokeAt - startedAt} ms, ${stuck} in sending right after); ` +
      `Twilio: ${posts} POSTs (${faults.length} faulted), ${lookups} lookups, ${fake.messages.length} accepted; ${JSON.stringify(statuses)}`);
    // The run really went through the faults it claims to survive.
    expect(faults.filter((f) => f === 'accept_then_hang')).to.have.length(2);
    expect(faults).to.include.members(['rate_limit', 'fail']);
  };

  it('when one worker is SIGKILLed mid-batch and restarted, then every message ends sent and Twilio accepted each exactly once', async () => {
    const url = new URL(TEST_REDIS_URL);
    url.searchParams.set('keyPrefix', `${TEST_REDIS_KEY_PREFIX}reliability-${randomBytes(3).toString('hex')}:`);
    fleet = new WorkerFleet(workerEnv(url.toString(), fake));
    const startedAt = Date.now();
    calm = misbehave(fake);
    for (let i = 0; i < WORKERS; i += 1) fleet.start(i);

    await eventually(async () => ((await sentCount()) >= BATCH * 0.3 ? true : undefined), 60_000, 100);
    const killedAt = Date.now();
    await fleet.kill(0, 'SIGKILL');
    const stuck = (await tally(db, tenant.tenantId)).statuses.sending ?? 0;
    fleet.start(0);
    const done = await allFinal();
    report('SIGKILL', startedAt, killedAt, stuck, done.statuses);
    await expectExactlyOnce(db, tenant, fake, BATCH);
  });

  it('when the Redis server is killed mid-batch (jobs lost) and restarted empty, then every message still ends sent exactly once', async () => {
    privateRedis = await PrivateRedis.start();
    fleet = new WorkerFleet(workerEnv(privateRedis.url, fake));
    const startedAt = Date.now();
    calm = misbehave(fake);
    for (let i = 0; i < WORKERS; i += 1) fleet.start(i);

    await eventually(async () => ((await sentCount()) >= BATCH * 0.3 ? true : undefined), 60_000, 100);
    const killedAt = Date.now();
    await privateRedis.kill();
    const stuck = (await tally(db, tenant.tenantId)).statuses.sending ?? 0;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await privateRedis.restart();
    const done = await allFinal();
    report('Redis killed', startedAt, killedAt, stuck, done.statuses);
    await expectExactlyOnce(db, tenant, fake, BATCH);
  });
});
