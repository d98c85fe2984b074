import { expect } from 'chai';
import type { Sequelize } from 'sequelize';
import { createSequelize } from '../../src/db/sequelize.js';
import { withScope } from '../../src/db/tenant-scope.js';
import { createLogger } from '../../src/logger.js';
import { enqueueOutbox } from '../../src/modules/outbox/enqueue-outbox.js';
import { relayDueMessages } from '../../src/modules/outbox/relay-outbox.js';
import { superuserSequelize } from '../support/accounts-world.js';
import { testDatabase } from '../support/integration-hooks.js';
import { InMemoryMessaging, permanent, rateLimited, transient } from '../support/in-memory-messaging.js';
import { createPipelineTenant, eventually, insertQueuedMessage, messageState, outboxRowCount, type PipelineTenant } from '../support/pipeline-world.js';
import { startTestPipeline, type TestPipeline } from '../support/test-pipeline.js';

describe('send pipeline: outbox -> relay -> queue -> provider', () => {
  let db: Sequelize;
  let tenant: PipelineTenant;
  let provider: InMemoryMessaging;
  let pipeline: TestPipeline | undefined;

  let appDb: Sequelize; // the runtime role: row-level security applies, as in requestSend
  before(async () => {
    db = superuserSequelize();
    appDb = createSequelize(testDatabase().appUrl, createLogger({ logLevel: 'silent' }), { poolMax: 2 });
    tenant = await createPipelineTenant(db);
  });
  beforeEach(() => {
    provider = new InMemoryMessaging();
  });
  afterEach(async () => {
    await pipeline?.stop();
    pipeline = undefined;
  });
  after(async () => {
    await appDb.close();
    await db.close();
  });

  const start = (config = {}) => {
    pipeline = startTestPipeline({ adapters: [{ provider: 'fake', port: provider }], config });
    return pipeline;
  };
  const finalState = (messageId: string, statuses = ['sent', 'failed', 'dead']) =>
    eventually(async () => {
      const state = await messageState(db, messageId);
      return statuses.includes(state.status) ? state : undefined;
    }, 15_000);

  it('when an outbox row is due, then the provider is called exactly once and the message is sent', async () => {
    const message = await insertQueuedMessage(db, tenant);
    start();
    const state = await finalState(message.id);
    expect(state).to.include({ status: 'sent', attempts: 1 });
    expect(state.providerMessageId).to.match(/^SM/);
    await new Promise((resolve) => setTimeout(resolve, 300)); // relays keep running: nothing more happens
    expect(provider.callsFor(message.id)).to.equal(1);
    expect(await outboxRowCount(db, [message.id])).to.equal(0);
  });

  it('when enqueueOutbox runs in a tenant-scoped transaction, then the row carries the agency and is relayed once however often the relay runs', async () => {
    const message = await insertQueuedMessage(db, tenant, { outbox: false });
    await withScope(appDb, tenant, (tx) => enqueueOutbox(tx, { messageId: message.id, tenantId: tenant.tenantId, channel: 'sms' }));
    const added: string[] = [];
    // The same due row handed to the queue by racing relays (and a relay re-run) -> one job id.
    const relay = (leaseSeconds: number) => relayDueMessages({ sequelize: db, enqueue: async (_c, job) => void added.push(job.messageId), leaseSeconds });
    await Promise.all([relay(300), relay(300)]);
    expect(added.filter((id) => id === message.id)).to.have.length(1);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await relay(1); // lease expired and the message is not final: relayed again (same job id)
    expect(added.filter((id) => id === message.id)).to.have.length(2);
    start({ relayLeaseSeconds: 1 });
    await finalState(message.id);
    expect(provider.callsFor(message.id)).to.equal(1);
  });

  it('when the provider fails transiently every time, then the job is retried with backoff and the message ends dead with the reason', async () => {
    const message = await insertQueuedMessage(db, tenant);
    provider.failWith(message.id, () => transient());
    start({ maxAttempts: 3, retryBaseMs: 100 });
    const state = await finalState(message.id);
    expect(state).to.include({ status: 'dead', attempts: 3, errorCode: 'attempts_exhausted' });
    expect(state.errorMessage).to.contain('upstream 503');
    expect(provider.callsFor(message.id)).to.equal(3);
    const times = provider.sends.filter((s) => s.messageId === message.id).map((s) => s.at);
    expect(times[1]! - times[0]!, 'first backoff (>= half of 100 ms)').to.be.at.least(50);
    expect(times[2]! - times[1]!, 'second backoff (>= half of 200 ms)').to.be.at.least(100);
    const [events] = (await db.query(`SELECT data FROM event_outbox WHERE type = 'message.status' AND data->>'messageId' = :id`, {
      replacements: { id: message.id },
    })) as [{ data: { status: string; error: { code: string } } }[], unknown];
    expect(events.map((e) => [e.data.status, e.data.error.code])).to.deep.equal([['dead', 'attempts_exhausted']]);
  });

  it('when the provider fails transiently twice, then the third attempt sends it', async () => {
    const message = await insertQueuedMessage(db, tenant);
    provider.failWith(message.id, (call) => (call <= 2 ? transient() : undefined));
    start({ maxAttempts: 5 });
    expect(await finalState(message.id)).to.include({ status: 'sent', attempts: 3, errorCode: null });
  });

  it('when the provider answers 429 with Retry-After, then the next attempt waits at least that long', async () => {
    const message = await insertQueuedMessage(db, tenant);
    provider.failWith(message.id, (call) => (call === 1 ? rateLimited(1500) : undefined));
    start();
    expect(await finalState(message.id)).to.include({ status: 'sent', attempts: 2 });
    const [first, second] = provider.sends.filter((s) => s.messageId === message.id);
    expect(second!.at - first!.at).to.be.at.least(1500);
  });

  it('when the provider rejects the message permanently, then it is failed with the provider error and not retried', async () => {
    const message = await insertQueuedMessage(db, tenant);
    provider.failWith(message.id, () => permanent());
    start();
    expect(await finalState(message.id)).to.include({ status: 'failed', attempts: 1, errorCode: '21211', errorMessage: 'invalid number' });
    expect(provider.callsFor(message.id)).to.equal(1);
  });

  describe('reconcile after a crash mid-call (message left in sending)', () => {
    it('when the provider already has it, then it is marked sent without a second call', async () => {
      const message = await insertQueuedMessage(db, tenant, { status: 'sending', attempts: 1 });
      provider.preload(message.id, 'SMalready');
      start();
      expect(await finalState(message.id)).to.include({ status: 'sent', attempts: 1, providerMessageId: 'SMalready' });
      expect(provider.callsFor(message.id)).to.equal(0);
    });

    it('when the provider does not have it, then it is sent exactly once', async () => {
      const message = await insertQueuedMessage(db, tenant, { status: 'sending', attempts: 1 });
      start();
      expect(await finalState(message.id)).to.include({ status: 'sent', attempts: 2 });
      expect(provider.callsFor(message.id)).to.equal(1);
    });
  });

  it('when a message is deferred, then nothing is sent before its time and it goes out after', async () => {
    const message = await insertQueuedMessage(db, tenant, { status: 'deferred', availableAt: new Date(Date.now() + 1500) });
    start();
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(provider.callsFor(message.id)).to.equal(0);
    expect(await finalState(message.id)).to.include({ status: 'sent' });
  });

  it('when the message is already past sending, then a stray job does nothing and clears the outbox row', async () => {
    const message = await insertQueuedMessage(db, tenant, { status: 'delivered', attempts: 1 });
    start();
    await eventually(async () => ((await outboxRowCount(db, [message.id])) === 0 ? true : undefined));
    expect(provider.callsFor(message.id)).to.equal(0);
    expect((await messageState(db, message.id)).status).to.equal('delivered');
  });

});
