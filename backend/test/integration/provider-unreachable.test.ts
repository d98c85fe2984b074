import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import type { Sequelize } from 'sequelize';
import request from 'supertest';
import { createAgencyWorld, superuserSequelize, type WorldAgency } from '../support/accounts-world.js';
import { providerFakes } from '../support/provider-fakes.js';
import { memberPrincipal, TestApi } from '../support/test-api.js';

/** A stand-in for a provider having a bad day: every request gets this status and body. */
async function failingProvider(status: number, body: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((_req, res) => res.writeHead(status, { 'content-type': 'application/json' }).end(body));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** An address where nothing listens (a port that was just freed). */
async function nobodyListening(): Promise<string> {
  const { url, close } = await failingProvider(200, '{}');
  await close();
  return url;
}

/**
 * Connecting a provider account while the provider is down or failing: a 503 (unreachable) or 502 (answered
 * with an error) naming the provider, never a 500, and nothing is stored.
 */
describe('provider unreachable or failing while connecting', () => {
  let db: Sequelize;
  let world: WorldAgency;

  before(async () => {
    db = superuserSequelize();
    world = await createAgencyWorld(db);
  });
  after(async () => {
    await db.close();
  });

  async function connectTelegramVia(apiRoot: string) {
    const api = TestApi.create({ TELEGRAM_API_ROOT: apiRoot });
    try {
      const admin = api.signIn(memberPrincipal(world.id, world.tenants[1].users.tenant_admin));
      const res = await request(api.app).put('/api/v1/tenant/providers/telegram').set(admin).send({ botToken: providerFakes().telegram.addBot().token });
      const stored = await request(api.app).get('/api/v1/tenant/providers/telegram').set(admin);
      return { res, storedStatus: stored.status };
    } finally {
      await api.close();
    }
  }

  it('when Telegram cannot be reached, then connecting the bot answers 503 PROVIDER_UNREACHABLE naming telegram, and no bot is stored', async () => {
    const { res, storedStatus } = await connectTelegramVia(await nobodyListening());
    expect(res.status, JSON.stringify(res.body)).to.equal(503);
    expect(res.body.error).to.deep.include({ code: 'PROVIDER_UNREACHABLE' });
    expect(res.body.error.details).to.deep.include({ provider: 'telegram' });
    expect(res.body.error.message).to.match(/Telegram could not be reached/);
    expect(res.headers['retry-after']).to.match(/^\d+$/);
    expect(storedStatus).to.equal(404);
  });

  for (const [label, body] of [['a bare 500', 'Internal Server Error'], ["Telegram's error envelope", '{"ok":false,"error_code":500,"description":"Internal Server Error"}']] as const) {
    it(`when Telegram answers 500 (${label}), then connecting the bot answers 502 PROVIDER_ERROR naming telegram`, async () => {
      const provider = await failingProvider(500, body);
      try {
        const { res, storedStatus } = await connectTelegramVia(provider.url);
        expect(res.status, JSON.stringify(res.body)).to.equal(502);
        expect(res.body.error).to.deep.include({ code: 'PROVIDER_ERROR' });
        expect(res.body.error.details).to.deep.include({ provider: 'telegram' });
        expect(storedStatus).to.equal(404);
      } finally {
        await provider.close();
      }
    });
  }

  it('when Telegram refuses the token itself, then it stays a 400 on the token field (the client can fix it)', async () => {
    const provider = await failingProvider(401, '{"ok":false,"error_code":401,"description":"Unauthorized"}');
    try {
      const { res } = await connectTelegramVia(provider.url);
      expect(res.status).to.equal(400);
      expect(res.body.error.details[0]).to.deep.include({ path: 'body.botToken' });
    } finally {
      await provider.close();
    }
  });
});
