import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { defaultStackOptions, startStack, type Stack } from '../../../deploy/native/stack.js';
import { FakeOpenAI } from '../../fakes/openai/index.js';
import { FakeStripe } from '../../fakes/stripe/index.js';
import { FakeTwilio } from '../../fakes/twilio/index.js';
import { FakeWhatsAppCloud } from '../../fakes/whatsapp-cloud/index.js';
import { freePort } from './free-port.js';
import { shortWaitWorkflows } from './short-workflows.js';

// One native stack (real PostgreSQL, Redis, n8n main + worker, API, worker, portal) per e2e run,
// on free ports with its own databases, so it never disturbs a `make dev` running beside it.
let stack: Stack | undefined;
let name = '';
type E2eFakes = { twilio: FakeTwilio; whatsapp: FakeWhatsAppCloud; openai: FakeOpenAI; stripe: FakeStripe };
let fakes: E2eFakes | undefined;
const LLM_KEY = `sk-e2e-${randomBytes(8).toString('hex')}`;
let workflowsDir = '';

/** A superuser connection string to the stack's own database (for arranging tenants: there is no sign-up API). */
export function e2eDatabaseAdminUrl(): string {
  const url = new URL(defaultStackOptions().adminDatabaseUrl);
  url.pathname = `/sb_${name}`;
  return url.toString();
}

/**
 * The provider fakes the stack's API and worker talk to (Twilio, WhatsApp Cloud API, an OpenAI-compatible model,
 * Stripe: no account until a test adds one with `stripe.addAccount()`, as an agency brings its own).
 */
export function e2eFakes(): E2eFakes {
  if (!fakes) throw new Error('the e2e fakes are not running (root hook did not run)');
  return fakes;
}

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
    // n8n and its worker each get E2E_N8N_TIMEOUT_SECONDS on a busy machine: the hook waits for both and the rest.
    this.timeout(Math.max(420_000, (Number(process.env.E2E_N8N_TIMEOUT_SECONDS) || 0) * 2_000 + 240_000));
    name = `e2e_${randomBytes(3).toString('hex')}`;
    fakes = {
      twilio: await FakeTwilio.start({ stepMs: 100 }), whatsapp: await FakeWhatsAppCloud.start(), openai: await FakeOpenAI.start({ apiKeys: [LLM_KEY] }),
      stripe: await FakeStripe.start(),
    };
    workflowsDir = shortWaitWorkflows();
    const options = defaultStackOptions({
      workflowsDir,
      backendEnv: {
        TWILIO_API_BASE_URL: fakes.twilio.url, WHATSAPP_GRAPH_BASE_URL: fakes.whatsapp.graphBaseUrl, PIPELINE_POLL_MS: '200',
        LLM_BASE_URL: fakes.openai.baseUrl, LLM_API_KEY: LLM_KEY, AGENT_POLL_MS: '100', STRIPE_API_BASE_URL: fakes.stripe.url,
        // Linked-device WhatsApp: the fake network inside the worker, whose phone scans the QR by itself.
        WHATSAPP_SOCKET_MODULE: join(import.meta.dirname, '..', '..', 'fakes', 'baileys', 'standalone-factory.ts'), FAKE_WHATSAPP_QR_MS: '1500',
      },
      name,
      ports: { api: await freePort(), portal: await freePort(), n8n: await freePort(), n8nWorkerHealth: await freePort(), n8nBroker: await freePort(), n8nWorkerBroker: await freePort() },
      redis: { host: '127.0.0.1', port: 6379, db: 14 },
      quiet: true,
      // A busy machine (CI, parallel runs) can need longer for n8n's first start than the 180 s default.
      ...(process.env.E2E_N8N_TIMEOUT_SECONDS ? { n8nTimeoutSeconds: Number(process.env.E2E_N8N_TIMEOUT_SECONDS) } : {}),
      log: (line) => console.log(`      [e2e stack] ${line}`),
    });
    const started = Date.now();
    stack = await startStack(options);
    console.log(`      [e2e stack] ready in ${((Date.now() - started) / 1000).toFixed(1)} s (logs: ${stack.stateDir}/logs)`);
  },
  async afterAll(this: Mocha.Context) {
    this.timeout(60_000);
    await Promise.all([fakes?.twilio.close(), fakes?.whatsapp.close(), fakes?.openai.close(), fakes?.stripe.close()]);
    if (workflowsDir) rmSync(workflowsDir, { recursive: true, force: true });
    if (!stack) return;
    await stack.stop();
    if (process.env.KEEP_E2E_STATE) return;
    await dropStackDatabases(defaultStackOptions().adminDatabaseUrl);
    rmSync(stack.stateDir, { recursive: true, force: true });
  },
};
