import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import type { Sequelize } from 'sequelize';
import { createSequelize } from '../../src/db/sequelize.js';
import { scopedStatementRunner, scopeRunner } from '../../src/db/tenant-scope.js';
import { createLogger } from '../../src/logger.js';
import { outboxEventBus } from '../../src/modules/events/publish-event.js';
import { InboundBatcher } from '../../src/modules/inbound/inbound-batcher.js';
import { processQueuedInbound } from '../../src/modules/inbound/process-queued-inbound.js';
import { queueInbound } from '../../src/modules/inbound/queue-inbound.js';
import type { InboundMessage } from '../../src/modules/messages/receive-inbound.js';
import { enqueueOutbox } from '../../src/modules/outbox/enqueue-outbox.js';
import { DEFAULT_RETRY_POLICY } from '../../src/modules/outbox/retry-policy.js';
import { superuserSequelize } from '../support/accounts-world.js';
import { testDatabase } from '../support/integration-hooks.js';
import { createPipelineTenant, type PipelineTenant } from '../support/pipeline-world.js';

/** The acknowledged-then-processed inbound path: queueInbound (the webhook's one insert) and the worker's pass. */
describe('inbound queue: acknowledged at once, processed by the worker in order, exactly once', () => {
  let db: Sequelize;
  let appDb: Sequelize;
  let tenant: PipelineTenant;
  const logger = createLogger({ logLevel: 'silent' });

  let batcher: InboundBatcher;
  const deps = () => ({ inboundBatcher: batcher });
  const pass = () =>
    processQueuedInbound({
      sequelize: appDb, logger, retry: DEFAULT_RETRY_POLICY,
      messaging: { runInScope: scopeRunner(appDb), events: outboxEventBus(appDb), enqueueOutbox },
    });
  const sms = (from: string, body: string, extra: Partial<InboundMessage> = {}): InboundMessage => ({
    ...tenant, channel: 'sms', from, to: '+14155550100', body, provider: 'twilio', providerMessageId: `SM${randomUUID().replace(/-/g, '')}`,
    receivedAt: new Date(), ...extra,
  });
  const count = async (sql: string, replacements: Record<string, unknown>) =>
    Number(((await db.query(sql, { replacements })) as [{ n: string }[], unknown])[0][0]!.n);
  const storedFrom = (from: string) =>
    count(`SELECT count(*) AS n FROM messages WHERE tenant_id = :t AND direction = 'inbound' AND from_address = :from`, { t: tenant.tenantId, from });
  const receivedEvents = (from: string) =>
    count(`SELECT count(*) AS n FROM event_outbox WHERE tenant_id = :t AND type = 'message.received' AND data->>'from' = :from`, { t: tenant.tenantId, from });

  before(async () => {
    db = superuserSequelize();
    appDb = createSequelize(testDatabase().appUrl, logger, { poolMax: 8 });
    tenant = await createPipelineTenant(db);
    batcher = new InboundBatcher(scopedStatementRunner(appDb));
  });
  after(async () => {
    await appDb.close();
    await db.close();
  });

  it('when the provider delivers the same message three times, then it is queued once, and one message and one message.received follow', async () => {
    const message = sms('+14155550201', 'Do you open on Sundays?');
    const results = await Promise.all([1, 2, 3].map(() => queueInbound(deps(), message)));
    expect(results.filter((r) => r.queued)).to.have.length(1);
    await pass();
    expect(await storedFrom(message.from)).to.equal(1);
    expect(await receivedEvents(message.from)).to.equal(1);
    expect(await count(`SELECT count(*) AS n FROM inbound_queue WHERE tenant_id = :t`, { t: tenant.tenantId })).to.equal(0);
  });

  it('when the worker died after storing the message but before removing the delivery, then the next pass stores nothing new', async () => {
    const message = sms('+14155550202', 'Table for two?');
    await queueInbound(deps(), message);
    await pass();
    // The same delivery back in the queue is what a crash between the two commits leaves behind.
    await queueInbound(deps(), message);
    await pass();
    expect(await storedFrom(message.from)).to.equal(1);
    expect(await receivedEvents(message.from)).to.equal(1);
  });

  it('when one sender sends STOP then START, then they are processed in that order and the contact ends opted in', async () => {
    const from = '+14155550203';
    await queueInbound(deps(), sms(from, 'STOP', { receivedAt: new Date(Date.now() - 1000) }));
    await queueInbound(deps(), sms(from, 'START'));
    await pass();
    const [rows] = (await db.query(
      `SELECT kind FROM consent_events ce JOIN contacts c ON c.id = ce.contact_id WHERE c.tenant_id = :t AND c.phone = :from AND ce.channel = 'sms' ORDER BY ce.seq`,
      { replacements: { t: tenant.tenantId, from } },
    )) as [{ kind: string }[], unknown];
    expect(rows.map((r) => r.kind)).to.deep.equal(['opt_out', 'opt_in']);
  });

  it('when a delivery cannot be processed (a web chat from an unknown visitor), then it is parked with the reason and the others go through', async () => {
    const bad = sms(randomUUID(), 'hello', { channel: 'web', provider: 'web' });
    const good = sms('+14155550204', 'Still open?');
    await queueInbound(deps(), bad);
    await queueInbound(deps(), good);
    await pass();
    expect(await storedFrom(good.from)).to.equal(1);
    const [parked] = (await db.query(`SELECT attempts, last_error, failed_at FROM inbound_queue WHERE provider_message_id = :id`, {
      replacements: { id: bad.providerMessageId },
    })) as [{ attempts: number; last_error: string; failed_at: Date | null }[], unknown];
    expect(parked[0]).to.include({ attempts: 1 });
    expect(parked[0]!.last_error).to.contain('Unknown web chat contact');
    expect(parked[0]!.failed_at).to.be.instanceOf(Date);
  });

  it('when 300 deliveries of two tenants arrive at once, then each is stored once by a few group commits and every caller learns whether its row was new', async () => {
    const other = await createPipelineTenant(db);
    const burst = Array.from({ length: 300 }, (_, i) => sms(`+1415556${String(i).padStart(4, '0')}`, `burst ${i}`, i % 2 ? { ...other } : {}));
    const results = await Promise.all([...burst, ...burst.slice(0, 50)].map((message) => queueInbound(deps(), message)));
    expect(results.filter((r) => r.queued)).to.have.length(300);
    const queued = await count(`SELECT count(*) AS n FROM inbound_queue WHERE tenant_id IN (:a, :b) AND message->>'body' LIKE 'burst %'`, { a: tenant.tenantId, b: other.tenantId });
    expect(queued).to.equal(300);
    const ofOther = await count(`SELECT count(*) AS n FROM inbound_queue WHERE tenant_id = :b`, { b: other.tenantId });
    expect(ofOther).to.equal(150);
  });
});
