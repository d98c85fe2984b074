import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import request from 'supertest';
import { loadConfig } from '../../src/config.js';
import { createContainer, type Container } from '../../src/container.js';
import { createApp } from '../../src/http/app.js';
import { buildRouters } from '../../src/http/routes.js';
import { validEnv } from '../support/env.js';
import { testDatabase } from '../support/integration-hooks.js';
import { TEST_REDIS_URL } from '../support/test-database.js';

async function fakeN8n(status: number): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => res.writeHead(status).end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('health endpoints against real PostgreSQL and Redis', () => {
  let n8n: { url: string; server: Server };
  let container: Container;

  function appFor(overrides: Record<string, string>) {
    container = createContainer(
      loadConfig(validEnv({ DATABASE_URL: testDatabase().appUrl, REDIS_URL: TEST_REDIS_URL, ...overrides })),
    );
    return createApp({ logger: container.logger, routers: buildRouters(container) });
  }

  beforeEach(async () => {
    n8n = await fakeN8n(200);
  });
  afterEach(async () => {
    await container?.close();
    n8n.server.close();
  });

  it('when PostgreSQL, Redis and n8n answer, then /readyz is 200 with each check ok', async () => {
    const res = await request(appFor({ N8N_INTERNAL_URL: n8n.url })).get('/readyz').expect(200);
    expect(res.body.status).to.equal('ok');
    expect(Object.keys(res.body.checks)).to.have.members(['postgres', 'redis', 'n8n']);
  });

  it('when PostgreSQL is unreachable, then /readyz is 503 and names it', async () => {
    const app = appFor({ N8N_INTERNAL_URL: n8n.url, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    const res = await request(app).get('/readyz').expect(503);
    expect(res.body.checks.postgres.ok).to.equal(false);
    expect(res.body.checks.redis.ok).to.equal(true);
  });

  it('when n8n answers 500, then /readyz is 503 and says what n8n answered', async () => {
    const broken = await fakeN8n(500);
    const res = await request(appFor({ N8N_INTERNAL_URL: broken.url })).get('/readyz').expect(503);
    expect(res.body.checks.n8n).to.deep.include({ ok: false, error: 'n8n /healthz answered 500' });
    broken.server.close();
  });

  it('when dependencies are down, then /healthz still says the process is alive', async () => {
    const app = appFor({ N8N_INTERNAL_URL: 'http://127.0.0.1:1', REDIS_URL: 'redis://127.0.0.1:1' });
    await request(app).get('/healthz').expect(200, { status: 'ok' });
  });
});
