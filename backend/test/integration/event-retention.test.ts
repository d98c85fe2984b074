import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import type { Sequelize } from 'sequelize';
import { createSequelize } from '../../src/db/sequelize.js';
import { createLogger } from '../../src/logger.js';
import { purgeOldEvents } from '../../src/modules/events/purge-old-events.js';
import { superuserSequelize } from '../support/accounts-world.js';
import { testDatabase } from '../support/integration-hooks.js';
import { createPipelineTenant, type PipelineTenant } from '../support/pipeline-world.js';

describe('event bus retention', () => {
  let db: Sequelize;
  let appDb: Sequelize;
  let tenant: PipelineTenant;
  let subscriptionId: string;

  async function eventWithDelivery(ageDays: number, status: 'delivered' | 'failed' | 'pending'): Promise<string> {
    const id = randomUUID();
    const at = new Date(Date.now() - ageDays * 86_400_000).toISOString();
    await db.query(
      `INSERT INTO event_outbox (id, agency_id, tenant_id, type, data, occurred_at, dispatched_at) VALUES (:id, :agencyId, :tenantId, 'message.received', '{}', :at, :at)`,
      { replacements: { id, ...tenant, at } },
    );
    await db.query(
      `INSERT INTO event_deliveries (agency_id, tenant_id, event_id, subscription_id, status, updated_at) VALUES (:agencyId, :tenantId, :id, :subscriptionId, :status, :at)`,
      { replacements: { id, ...tenant, subscriptionId, status, at } },
    );
    return id;
  }
  const exists = async (eventId: string) =>
    ((await db.query('SELECT 1 FROM event_outbox WHERE id = :eventId', { replacements: { eventId } })) as [unknown[], unknown])[0].length === 1;

  before(async () => {
    db = superuserSequelize();
    appDb = createSequelize(testDatabase().appUrl, createLogger({ logLevel: 'silent' }), { poolMax: 2 });
    tenant = await createPipelineTenant(db);
    const [rows] = (await db.query(
      `INSERT INTO event_subscriptions (agency_id, tenant_id, url, secret_encrypted, event_types, created_by_type, created_by_id)
       VALUES (:agencyId, :tenantId, 'http://127.0.0.1:9/hook', 'x', ARRAY['message.received'], 'system', 'test') RETURNING id`,
      { replacements: tenant },
    )) as [{ id: string }[], unknown];
    subscriptionId = rows[0]!.id;
  });
  after(async () => {
    await appDb.close();
    await db.close();
  });

  it('when events are older than the retention, then delivered and failed ones go, pending ones and recent ones stay', async () => {
    const oldDelivered = await eventWithDelivery(40, 'delivered');
    const oldFailed = await eventWithDelivery(40, 'failed');
    const oldPending = await eventWithDelivery(40, 'pending');
    const recent = await eventWithDelivery(2, 'delivered');
    const purged = await purgeOldEvents({ sequelize: appDb, retentionDays: 30 });
    expect(purged).to.be.at.least(4);
    expect(await exists(oldDelivered)).to.equal(false);
    expect(await exists(oldFailed)).to.equal(false);
    expect(await exists(oldPending)).to.equal(true);
    expect(await exists(recent)).to.equal(true);
  });
});
