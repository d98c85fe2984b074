import { Writable } from 'node:stream';
import { expect } from 'chai';
import { Router } from 'express';
import { loadConfig } from '../../src/config.js';
import { createContainer, type Container } from '../../src/container.js';
import { createApp } from '../../src/http/app.js';
import { buildRouters } from '../../src/http/routes.js';
import { runWithLogContext } from '../../src/log-context.js';
import { createLogger } from '../../src/logger.js';
import { startPollingLoop } from '../../src/worker/polling-loop.js';
import { Browser } from '../support/browser.js';
import { superuserSequelize } from '../support/accounts-world.js';
import { validEnv } from '../support/env.js';
import { testDatabase } from '../support/integration-hooks.js';
import { createAgency, createPerson, createTenant } from '../support/identity-world.js';
import { providerFakeEnv } from '../support/provider-fakes.js';
import { TEST_REDIS_URL } from '../support/test-database.js';

type LogLine = Record<string, unknown>;

/** A pino destination that keeps the JSON lines. */
function captureLines(): { stream: Writable; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(text) as LogLine);
      done();
    },
  });
  return { stream, lines };
}

describe('log context: every line names the request or job and its tenant', () => {
  let container: Container;
  const captured = captureLines();

  before(() => {
    container = createContainer(loadConfig(validEnv({ DATABASE_URL: testDatabase().appUrl, REDIS_URL: TEST_REDIS_URL, ...providerFakeEnv() })));
    container.logger = createLogger({ logLevel: 'info' }, 'switchboard-api', captured.stream);
  });
  after(() => container.close());

  it('when a signed-in request logs from inside its handler, then the line carries requestId, tenantId and agencyId, and secrets stay redacted', async () => {
    const db = superuserSequelize();
    const agencyId = await createAgency(db);
    const tenantId = await createTenant(db, agencyId);
    const person = await createPerson(db, [{ agencyId, tenantId, role: 'tenant_member' }]);
    await db.close();
    // A route deep in "the app" that logs without being handed any request data (as a use case would).
    const probe = Router();
    probe.get('/test/log-probe', async (_req, res) => {
      await new Promise((resolve) => setTimeout(resolve, 5)); // across an await, as in real handlers
      container.logger.info({ token: 'sbt_secret-value' }, 'probe line');
      res.status(204).end();
    });
    const app = createApp({ logger: container.logger, routers: [...buildRouters(container), probe] });
    const browser = new Browser(app);
    expect((await browser.signIn(person.email, person.password)).status).to.equal(200);

    const res = await browser.get('/test/log-probe', { 'x-request-id': 'req-log-context-1' });
    expect(res.status).to.equal(204);

    const line = captured.lines.find((entry) => entry.msg === 'probe line');
    expect(line).to.include({ requestId: 'req-log-context-1', tenantId, agencyId, token: '[redacted]' });
    const completed = captured.lines.find((entry) => entry.msg === 'request completed' && (entry.req as { url?: string })?.url === '/test/log-probe');
    expect(completed).to.include({ requestId: 'req-log-context-1', tenantId, agencyId });
  });

  it('when a request is anonymous, then its lines carry the requestId and no tenant', async () => {
    const app = createApp({ logger: container.logger, routers: buildRouters(container) });
    await new Browser(app).get('/api/v1/auth/csrf', { 'x-request-id': 'req-log-context-2' });
    const completed = captured.lines.find((entry) => entry.requestId === 'req-log-context-2');
    expect(completed).to.not.equal(undefined);
    expect(completed).to.not.have.property('tenantId');
  });

  it('when a worker loop runs a pass and a row inside it, then lines carry the loop name and the row\'s job id and tenant', async () => {
    const loop = startPollingLoop('log-context-loop', 60_000, async () => {
      container.logger.info('pass line');
      runWithLogContext({ jobId: 'row-1', tenantId: 'tenant-of-row', agencyId: 'agency-of-row' }, () => container.logger.info('row line'));
      return 0;
    }, container.logger);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await loop.stop();
    expect(captured.lines.find((entry) => entry.msg === 'pass line')).to.include({ job: 'log-context-loop' });
    expect(captured.lines.find((entry) => entry.msg === 'row line')).to.include({ job: 'log-context-loop', jobId: 'row-1', tenantId: 'tenant-of-row' });
    expect(captured.lines.find((entry) => entry.msg === 'pass line')).to.not.have.property('tenantId');
  });
});
