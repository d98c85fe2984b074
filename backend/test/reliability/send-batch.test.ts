import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import type { Sequelize } from 'sequelize';
import { superuserSequelize } from '../support/accounts-world.js';
import { testDatabase } from '../support/integration-hooks.js';
import { createPipelineTenant, eventually, type PipelineTenant } from '../support/pipeline-world.js';
import { TEST_REDIS_KEY_PREFIX, TEST_REDIS_URL } from '../support/test-database.js';
import { CountingProvider } from './counting-provider.js';
import { PrivateRedis, WorkerFleet } from './worker-fleet.js';

const BATCH = Number(process.env.RELIABILITY_BATCH ?? 1000);
const WORKERS = Number(process.env.RELIABILITY_WORKERS ?? 3);
const SENDERS = 20;
const FINAL = ['sent', 'failed', 'dead'];

/** The batch as requestSend leaves it: 1,000 queued SMS from 20 sender numbers, each with its outbox row. */
async function insertBatch(db: Sequelize, tenant: PipelineTenant, size: number): Promise<void> {
  const tag = randomBytes(3).toString('hex');
  await db.query(
    `WITH c AS (
       INSERT INTO contacts (agency_id, tenant_id, phone)
       SELECT :agencyId, :tenantId, '+1444' || :tag2 || lpad(g::text, 5, '0') FROM generate_series(1, :size) g RETURNING id, phone),
     v AS (
       INSERT INTO conversations (agency_id, tenant_id, contact_id, channel) SELECT :agencyId, :tenantId, id, 'sms' FROM c RETURNING id, contact_id),
     m AS (
       INSERT INTO messages (agency_id, tenant_id, conversation_id, contact_id, direction, channel, from_address, to_address, body, source,
         status, idempotency_key, queued_at)
       SELECT :agencyId, :tenantId, v.id, c.id, 'outbound', 'sms', '+1555000' || lpad((abs(hashtext(c.phone)) % :senders)::text, 4, '0'),
         c.phone, 'Reliability run ' || :tag, 'api', 'queued', :tag || '-' || c.phone, now()
       FROM v JOIN c ON c.id = v.contact_id RETURNING id)
     INSERT INTO message_outbox (agency_id, tenant_id, message_id, channel) SELECT :agencyId, :tenantId, id, 'sms' FROM m`,
    { replacements: { ...tenant, size, tag, tag2: String(parseInt(tag, 16) % 1000).padStart(3, '0'), senders: SENDERS } },
  );
}

type Tally = { statuses: Record<string, number>; final: number; outbox: number };

async function tally(db: Sequelize, tenantId: string): Promise<Tally> {
  const [rows] = (await db.query(`SELECT status, count(*)::int AS n FROM messages WHERE tenant_id = :tenantId GROUP BY status`, {
    replacements: { tenantId },
  })) as [{ status: string; n: number }[], unknown];
  const [outbox] = (await db.query(`SELECT count(*)::int AS n FROM message_outbox WHERE tenant_id = :tenantId`, { replacements: { tenantId } })) as [
    { n: number }[],
    unknown,
  ];
  const statuses = Object.fromEntries(rows.map((row) => [row.status, row.n]));
  return { statuses, final: rows.filter((row) => FINAL.includes(row.status)).reduce((sum, row) => sum + row.n, 0), outbox: outbox[0]!.n };
}

/** Every message reached exactly one final state, and the provider accepted each sent message exactly once. */
async function expectExactlyOnce(db: Sequelize, tenant: PipelineTenant, provider: CountingProvider): Promise<void> {
  const [rows] = (await db.query(`SELECT id, status, provider_message_id AS "sid" FROM messages WHERE tenant_id = :tenantId`, {
    replacements: { tenantId: tenant.tenantId },
  })) as [{ id: string; status: string; sid: string | null }[], unknown];
  expect(rows).to.have.length(BATCH);
  const problems: string[] = [];
  for (const row of rows) {
    const accepted = provider.accepted.get(row.id);
    if (row.status !== 'sent') problems.push(`${row.id}: ${row.status}`);
    if (!accepted) problems.push(`${row.id}: never accepted by the provider`);
    else if (accepted.count !== 1) problems.push(`${row.id}: accepted ${accepted.count} times`);
    else if (accepted.sid !== row.sid) problems.push(`${row.id}: provider id ${row.sid} != ${accepted.sid}`);
  }
  expect(problems.slice(0, 20), `${problems.length} problems`).to.deep.equal([]);
  expect(provider.accepted.size).to.equal(BATCH);
}

function workerEnv(redisUrl: string, provider: CountingProvider): NodeJS.ProcessEnv {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.RELIABILITY_LOG_LEVEL ?? 'warn',
    PUBLIC_URL: 'https://switchboard.test',
    DATABASE_URL: testDatabase().appUrl,
    REDIS_URL: redisUrl,
    SESSION_SECRET: randomBytes(32).toString('base64'),
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    FAKE_PROVIDER_URL: provider.url,
    FAKE_PROVIDER_MPS: '20',
    PIPELINE_CONCURRENCY: '20',
    PIPELINE_POLL_MS: '100',
    PIPELINE_JOB_LOCK_MS: '4000',
    PIPELINE_RELAY_LEASE_SECONDS: '8',
    PIPELINE_RETRY_BASE_MS: '200',
    PIPELINE_MAX_ATTEMPTS: '10',
  };
}

describe(`reliability: a ${BATCH}-message batch across ${WORKERS} worker processes`, function () {
  this.timeout(150_000);
  let db: Sequelize;
  let provider: CountingProvider;
  let fleet: WorkerFleet | undefined;
  let privateRedis: PrivateRedis | undefined;

  before(() => {
    db = superuserSequelize();
  });
  beforeEach(async () => {
    provider = await CountingProvider.start({ failureRate: 0.02, latencyMs: [5, 40] });
  });
  afterEach(async () => {
    await fleet?.stopAll();
    await privateRedis?.kill();
    await provider.close();
    fleet = undefined;
    privateRedis = undefined;
  });
  after(async () => {
    await db.close();
  });

  const sentCount = async (tenantId: string) => (await tally(db, tenantId)).statuses.sent ?? 0;

  it('when one worker is SIGKILLed mid-batch and restarted, then every message ends sent and the provider took each exactly once', async () => {
    const tenant = await createPipelineTenant(db);
    await insertBatch(db, tenant, BATCH);
    const url = new URL(TEST_REDIS_URL);
    url.searchParams.set('keyPrefix', `${TEST_REDIS_KEY_PREFIX}reliability-${randomBytes(3).toString('hex')}:`);
    fleet = new WorkerFleet(workerEnv(url.toString(), provider));
    const startedAt = Date.now();
    for (let i = 0; i < WORKERS; i += 1) fleet.start(i);

    await eventually(async () => ((await sentCount(tenant.tenantId)) >= BATCH * 0.3 ? true : undefined), 60_000, 100);
    const killedAt = Date.now();
    await fleet.kill(0, 'SIGKILL');
    const stuck = (await tally(db, tenant.tenantId)).statuses.sending ?? 0;
    fleet.start(0);
    const done = await eventually(async () => {
      const t = await tally(db, tenant.tenantId);
      return t.final === BATCH && t.outbox === 0 ? t : undefined;
    }, 120_000, 250);
    const elapsed = Date.now() - startedAt;
    console.log(`      ${BATCH} messages final in ${elapsed} ms (SIGKILL at ${killedAt - startedAt} ms, ${stuck} in sending right after); provider calls ${provider.calls}; ${JSON.stringify(done.statuses)}`);
    await expectExactlyOnce(db, tenant, provider);
  });

  it('when the Redis server is killed mid-batch (jobs lost) and restarted empty, then every message still ends sent exactly once', async () => {
    const tenant = await createPipelineTenant(db);
    await insertBatch(db, tenant, BATCH);
    privateRedis = await PrivateRedis.start();
    fleet = new WorkerFleet(workerEnv(privateRedis.url, provider));
    const startedAt = Date.now();
    for (let i = 0; i < WORKERS; i += 1) fleet.start(i);

    await eventually(async () => ((await sentCount(tenant.tenantId)) >= BATCH * 0.3 ? true : undefined), 60_000, 100);
    const killedAt = Date.now();
    await privateRedis.kill();
    const stuck = (await tally(db, tenant.tenantId)).statuses.sending ?? 0;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await privateRedis.restart();
    const done = await eventually(async () => {
      const t = await tally(db, tenant.tenantId);
      return t.final === BATCH && t.outbox === 0 ? t : undefined;
    }, 120_000, 250);
    const elapsed = Date.now() - startedAt;
    console.log(`      ${BATCH} messages final in ${elapsed} ms (Redis killed at ${killedAt - startedAt} ms, ${stuck} in sending right after); provider calls ${provider.calls}; ${JSON.stringify(done.statuses)}`);
    await expectExactlyOnce(db, tenant, provider);
  });
});
