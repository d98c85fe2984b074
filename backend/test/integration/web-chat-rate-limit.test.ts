import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import type { Sequelize } from 'sequelize';
import request from 'supertest';
import { createAgencyWorld, superuserSequelize } from '../support/accounts-world.js';
import { insertAgentRow } from '../support/agent-world.js';
import { TestApi } from '../support/test-api.js';

describe('web chat: a per-address rate limit on the public routes', () => {
  let db: Sequelize;
  let api: TestApi;

  before(() => {
    db = superuserSequelize();
    api = TestApi.create({ WEB_CHAT_RATE_PER_MINUTE: '3', PIPELINE_QUEUE_PREFIX: `rl${randomBytes(3).toString('hex')}` });
  });
  after(async () => {
    await api.close();
    await db.close();
  });

  it('when one address calls the web chat more often than allowed in a minute, then it gets 429 with Retry-After; the widget script is not limited', async () => {
    const world = await createAgencyWorld(db);
    const { webKey } = await insertAgentRow(db, { agencyId: world.id, tenantId: world.tenants[0].id });
    const statuses: number[] = [];
    let limited: request.Response | undefined;
    const minuteBefore = Math.floor(Date.now() / 60_000);
    for (let i = 0; i < 4; i += 1) {
      const res = await request(api.app).post(`/api/v1/web-chat/${webKey}/sessions`).send({});
      statuses.push(res.status);
      if (res.status === 429) limited = res;
    }
    // Only a minute boundary inside the loop (a fresh window) may let the 4th call through.
    if (!limited) return expect(Math.floor(Date.now() / 60_000), `no 429 within one minute: ${statuses.join(', ')}`).to.not.equal(minuteBefore);
    expect(statuses).to.deep.equal([201, 201, 201, 429]);
    expect(Number(limited.headers['retry-after'])).to.be.within(1, 60);
    expect(limited.body.error).to.include({ code: 'TOO_MANY_REQUESTS' });
    await request(api.app).get('/widget.js').expect(200);
  });
});
