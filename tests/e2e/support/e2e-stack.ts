import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import pg from 'pg';
import { defaultStackOptions, startStack, type Stack } from '../../../deploy/native/stack.js';
import { freePort } from './free-port.js';

// One native stack (real PostgreSQL, Redis, n8n main + worker, API, worker, portal) per e2e run,
// on free ports with its own databases, so it never disturbs a `make dev` running beside it.
let stack: Stack | undefined;
let name = '';

export function e2eStack(): Stack {
  if (!stack) throw new Error('the e2e stack is not running (root hook did not run)');
  return stack;
}

async function dropStackDatabases(adminUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    for (const db of [`sb_${name}`, `n8n_${name}`]) await client.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(420_000);
    name = `e2e_${randomBytes(3).toString('hex')}`;
    const options = defaultStackOptions({
      name,
      ports: { api: await freePort(), portal: await freePort(), n8n: await freePort(), n8nWorkerHealth: await freePort() },
      redis: { host: '127.0.0.1', port: 6379, db: 14 },
      quiet: true,
      log: (line) => console.log(`      [e2e stack] ${line}`),
    });
    const started = Date.now();
    stack = await startStack(options);
    console.log(`      [e2e stack] ready in ${((Date.now() - started) / 1000).toFixed(1)} s (logs: ${stack.stateDir}/logs)`);
  },
  async afterAll(this: Mocha.Context) {
    this.timeout(60_000);
    if (!stack) return;
    await stack.stop();
    if (process.env.KEEP_E2E_STATE) return;
    await dropStackDatabases(defaultStackOptions().adminDatabaseUrl);
    rmSync(stack.stateDir, { recursive: true, force: true });
  },
};
