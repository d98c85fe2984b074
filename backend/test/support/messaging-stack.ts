import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Sequelize } from 'sequelize';
import { FakeTwilio } from '../../../tests/fakes/twilio/index.js';
import { FakeWhatsAppCloud } from '../../../tests/fakes/whatsapp-cloud/index.js';
import { loadConfig } from '../../src/config.js';
import { createContainer, type Container } from '../../src/container.js';
import { createApiApp } from '../../src/http/api-app.js';
import { superuserSequelize } from './accounts-world.js';
import { validEnv } from './env.js';
import { testDatabase } from './integration-hooks.js';
import { TEST_REDIS_KEY_PREFIX, TEST_REDIS_URL } from './test-database.js';
import { WorkerFleet } from './worker-fleet.js';
import { providerFakes } from './provider-fakes.js';

/**
 * The messaging core as it is deployed, with only Twilio faked: the API app exactly as src/server.ts
 * serves it, on a real port that is also its PUBLIC_URL (so Twilio signatures are computed over the
 * URL the requests really reach); the real worker process (src/worker.ts, whose TwilioMessaging uses
 * the official SDK) pointed at the fake Twilio through TWILIO_API_BASE_URL; the fake posting signed
 * status callbacks back to the API. Both processes share one environment (database, keys).
 */
export class MessagingStack {
  private constructor(
    readonly apiUrl: string,
    readonly fake: FakeTwilio,
    /** Meta's WhatsApp Cloud API (the worker's WHATSAPP_GRAPH_BASE_URL). */
    readonly whatsapp: FakeWhatsAppCloud,
    readonly worker: WorkerFleet,
    /** Superuser connection: only for arranging the agency, tenant and user (there is no sign-up API). */
    readonly db: Sequelize,
    private readonly server: Server,
    private readonly container: Container,
  ) {}

  static async start(options: { stepMs?: number } = {}): Promise<MessagingStack> {
    const fake = await FakeTwilio.start({ stepMs: options.stepMs ?? 150 });
    const whatsapp = await FakeWhatsAppCloud.start();
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const env = validEnv({
      DATABASE_URL: testDatabase().appUrl,
      REDIS_URL: TEST_REDIS_URL,
      PUBLIC_URL: apiUrl,
      TWILIO_API_BASE_URL: fake.url,
      WHATSAPP_GRAPH_BASE_URL: whatsapp.graphBaseUrl,
      TELEGRAM_UPDATES: 'webhook',
      TELEGRAM_API_ROOT: providerFakes().telegram.url,
      // The agent runtime (worker) talks to the fake OpenAI through the official SDK.
      LLM_BASE_URL: providerFakes().openai.baseUrl,
      LLM_API_KEY: providerFakes().llmApiKey,
      AGENT_POLL_MS: '100',
      PIPELINE_POLL_MS: '100',
      PIPELINE_RETRY_BASE_MS: '200',
      WEBHOOK_TIMEOUT_MS: '2000',
    });
    const container = createContainer(loadConfig(env));
    server.on('request', createApiApp(container));
    // The worker's queues and pacing live under their own prefix (removed with the run's keys).
    const workerRedis = new URL(TEST_REDIS_URL);
    workerRedis.searchParams.set('keyPrefix', `${TEST_REDIS_KEY_PREFIX}e2e-worker:`);
    const worker = new WorkerFleet({ ...env, LOG_LEVEL: 'info', REDIS_URL: workerRedis.toString() });
    worker.start(0);
    const stack = new MessagingStack(apiUrl, fake, whatsapp, worker, superuserSequelize(), server, container);
    try {
      await worker.ready(0, 60_000);
    } catch (err) {
      await stack.close();
      throw err;
    }
    return stack;
  }

  async close(): Promise<void> {
    await this.worker.stopAll();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
    await this.fake.close();
    await this.whatsapp.close();
    await this.container.close();
    await this.db.close();
  }
}
