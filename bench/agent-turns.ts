// Agent runtime: (1) the overhead of one agent turn excluding the model's own time (context reads, prompt,
// tool execution, guarded reply through the send pipeline's transaction, metering), p50/p95 over sequential
// turns with an instant fake model, with and without a tool call; (2) 500 conversations at once against a
// fake OpenAI-compatible model that takes 1 s per answer: throughput, every turn answered exactly once, and
// each reply carrying its own conversation's token (no cross-talk). Real PostgreSQL (fresh database, app
// role under row-level security), the official openai SDK over HTTP to the fake.
// Usage: npx tsx bench/agent-turns.ts   (BENCH_AGENT_TURNS=300 BENCH_AGENT_CONVERSATIONS=500 BENCH_AGENT_LATENCY_MS=1000)
import { randomUUID } from 'node:crypto';
import type { Sequelize } from 'sequelize';
import { OpenAiLlm } from '../backend/src/adapters/llm/openai.js';
import { createSequelize } from '../backend/src/db/sequelize.js';
import { scopeRunner } from '../backend/src/db/tenant-scope.js';
import { createLogger } from '../backend/src/logger.js';
import { agentTurnRunner } from '../backend/src/modules/agent-runtime/run-due-turns.js';
import { scheduleAgentTurn } from '../backend/src/modules/agent-runtime/schedule-agent-turn.js';
import { outboxEventBus } from '../backend/src/modules/events/publish-event.js';
import { receiveInbound } from '../backend/src/modules/messages/receive-inbound.js';
import { enqueueOutbox } from '../backend/src/modules/outbox/enqueue-outbox.js';
import { startPollingLoop } from '../backend/src/worker/polling-loop.js';
import { FakeOpenAI, type ChatRequest } from '../tests/fakes/openai/index.js';
import { ADMIN_URL, createBenchDatabase } from './support/bench-database.js';
import { envNumber, finishContext, machineContext, printTable, writeResults } from './support/report.js';

const TURNS = envNumber('BENCH_AGENT_TURNS', 300);
const CONVERSATIONS = envNumber('BENCH_AGENT_CONVERSATIONS', 500);
const LATENCY_MS = envNumber('BENCH_AGENT_LATENCY_MS', 1000);
const silent = createLogger({ logLevel: 'silent' });

type Scope = { agencyId: string; tenantId: string };

async function one<T>(db: Sequelize, sql: string, replacements: Record<string, unknown>): Promise<T> {
  const [rows] = (await db.query(sql, { replacements })) as [T[], unknown];
  return rows[0]!;
}

async function arrange(admin: Sequelize): Promise<Scope & { agentId: string; serviceId: string }> {
  const { id: agencyId } = await one<{ id: string }>(admin, `INSERT INTO agencies (name) VALUES ('Bench agency') RETURNING id`, {});
  const { id: tenantId } = await one<{ id: string }>(admin,
    `INSERT INTO tenants (agency_id, name, slug, time_zone) VALUES (:agencyId, 'Bench dental', :slug, 'America/New_York') RETURNING id`, { agencyId, slug: `bench-${randomUUID().slice(0, 8)}` });
  const scope = { agencyId, tenantId };
  const { id: agentId } = await one<{ id: string }>(admin,
    `INSERT INTO agents (agency_id, tenant_id, name, channels, settings, web_key) VALUES (:agencyId, :tenantId, 'Ava', '{web}',
       '{"batchWindowMs": 0, "maxBatchWaitMs": 0}', :webKey) RETURNING id`, { ...scope, webKey: `wk_${randomUUID().replace(/-/g, '')}` });
  await admin.query(`INSERT INTO agent_prompt_versions (agency_id, tenant_id, agent_id, version, status, facts, instructions, published_at)
    VALUES (:agencyId, :tenantId, :agentId, 1, 'active', :facts, 'Be brief.', now())`, {
    replacements: { ...scope, agentId, facts: JSON.stringify({ businessName: 'Bench Dental', services: 'Cleaning', prices: 'Cleaning $90', hours: 'Every day 08-18' }) },
  });
  const { id: serviceId } = await one<{ id: string }>(admin,
    `INSERT INTO booking_services (agency_id, tenant_id, name, duration_minutes) VALUES (:agencyId, :tenantId, 'Cleaning', 30) RETURNING id`, scope);
  for (let weekday = 0; weekday < 7; weekday += 1) {
    await admin.query(`INSERT INTO booking_hours (agency_id, tenant_id, weekday, start_time, end_time) VALUES (:agencyId, :tenantId, :weekday, '08:00', '18:00')`, {
      replacements: { ...scope, weekday },
    });
  }
  return { ...scope, agentId, serviceId };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const round = (n: number) => Math.round(n * 10) / 10;

async function main(): Promise<void> {
  const context = await machineContext(ADMIN_URL);
  const db = await createBenchDatabase();
  const fake = await FakeOpenAI.start({ apiKeys: ['sk-bench'] });
  const app = createSequelize(db.appUrl, silent, { poolMax: 20 });
  const runInScope = scopeRunner(app);
  const events = outboxEventBus(app);
  const llm = new OpenAiLlm({ apiKey: 'sk-bench', baseUrl: fake.baseUrl, model: 'gpt-4o-mini', timeoutMs: 30_000, maxRetries: 0, maxRetryDelayMs: 0 });
  // Every tenant gets the same model here (the runtime resolves tenant -> agency -> env in production).
  const deps = { sequelize: app, runInScope, events, enqueueOutbox, llms: { forTenant: async () => llm }, logger: silent, leaseSeconds: 120 };
  try {
    const world = await arrange(db.admin);
    const scope = { agencyId: world.agencyId, tenantId: world.tenantId };
    const contact = async (token: string) =>
      (await one<{ id: string }>(db.admin, `INSERT INTO contacts (agency_id, tenant_id, name) VALUES (:agencyId, :tenantId, :token) RETURNING id`, { ...scope, token })).id;
    /** A visitor message in, and the runtime's handler for its message.received (what the event relay does). */
    const inbound = async (contactId: string, text: string) => {
      const { message } = await receiveInbound({ runInScope, events, enqueueOutbox }, {
        ...scope, channel: 'web', from: contactId, to: 'agent', body: text, provider: 'web_chat', providerMessageId: randomUUID(), receivedAt: new Date(),
      });
      await scheduleAgentTurn({ runInScope }, {
        id: randomUUID(), type: 'message.received', ...scope, occurredAt: new Date().toISOString(),
        data: { messageId: message.id, conversationId: message.conversationId, contactId, channel: 'web', keyword: null },
      });
    };

    // (1) Overhead per turn, sequential, instant model.
    const overhead = async (label: string, withTool: boolean) => {
      const runner = agentTurnRunner({ ...deps, concurrency: 1 });
      const samples: number[] = [];
      const llmShare: number[] = [];
      const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
      fake.script.setDefault((req: ChatRequest) => (withTool && req.messages.at(-1)!.role !== 'tool'
        ? { toolCalls: [{ name: 'find_free_slots', arguments: { serviceId: world.serviceId, from: tomorrow } }] }
        : { reply: 'Sure! We have slots tomorrow morning.' }));
      for (let i = 0; i < TURNS + 20; i += 1) {
        await inbound(await contact(`o${i}`), 'Hi, do you have time tomorrow?');
        const started = performance.now();
        await runner.pass();
        await runner.drain();
        const total = performance.now() - started;
        const { llmMs } = await one<{ llmMs: number }>(db.admin, `SELECT llm_ms AS "llmMs" FROM agent_turns ORDER BY created_at DESC LIMIT 1`, {});
        if (i >= 20) { // warm-up excluded
          samples.push(total - llmMs);
          llmShare.push(llmMs);
        }
      }
      samples.sort((a, b) => a - b);
      llmShare.sort((a, b) => a - b);
      return { label, turns: samples.length, p50: round(percentile(samples, 50)), p95: round(percentile(samples, 95)), p99: round(percentile(samples, 99)), modelP50: round(percentile(llmShare, 50)) };
    };
    const plain = await overhead('reply only (1 model call)', false);
    const tool = await overhead('find_free_slots + reply (2 model calls)', true);
    printTable('Agent turn overhead, excluding the model (ms)', ['turn', 'turns', 'p50', 'p95', 'p99', 'model+HTTP p50'],
      [plain, tool].map((r) => [r.label, r.turns, r.p50, r.p95, r.p99, r.modelP50]));

    // (2) Many conversations at once against a slow model.
    const concurrencyRuns: Record<string, unknown>[] = [];
    for (const concurrency of [100, CONVERSATIONS]) {
      fake.script.setDefault((req: ChatRequest) => ({ reply: `echo:${String(req.messages.filter((m) => m.role === 'user').at(-1)?.content ?? '')}`, latencyMs: LATENCY_MS }));
      await db.admin.query(`UPDATE agent_turns SET status = 'answered' WHERE status IN ('waiting', 'running')`);
      const tokens: { contactId: string; token: string }[] = [];
      for (let i = 0; i < CONVERSATIONS; i += 1) {
        const token = `t${concurrency}-${i}-${randomUUID().slice(0, 8)}`;
        const contactId = await contact(token);
        tokens.push({ contactId, token });
      }
      await Promise.all(tokens.map(({ contactId, token }) => inbound(contactId, token)));
      const runner = agentTurnRunner({ ...deps, concurrency });
      const started = performance.now();
      const loop = startPollingLoop('agent-turns', 50, () => runner.pass(), silent);
      let answered = 0;
      while (answered < CONVERSATIONS && performance.now() - started < 120_000) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        answered = (await one<{ n: number }>(db.admin,
          `SELECT count(*)::int AS n FROM agent_turns t JOIN contacts c ON c.id = t.contact_id WHERE t.status = 'answered' AND c.name LIKE :prefix`, { prefix: `t${concurrency}-%` })).n;
      }
      const elapsed = (performance.now() - started) / 1000;
      await loop.stop();
      await runner.drain();
      const [rows] = (await db.admin.query(
        `SELECT c.name AS token, count(m.id)::int AS replies, min(m.body) AS body FROM contacts c
           LEFT JOIN messages m ON m.contact_id = c.id AND m.direction = 'outbound' AND m.source = 'agent'
         WHERE c.name LIKE :prefix GROUP BY c.name`, { replacements: { prefix: `t${concurrency}-%` } },
      )) as [{ token: string; replies: number; body: string | null }[], unknown];
      const lost = rows.filter((r) => r.replies === 0).length;
      const doubled = rows.filter((r) => r.replies > 1).length;
      const crossTalk = rows.filter((r) => r.replies > 0 && r.body !== `echo:${r.token}`).length;
      concurrencyRuns.push({ concurrency, conversations: CONVERSATIONS, modelLatencyMs: LATENCY_MS, seconds: round(elapsed), turnsPerSecond: round(CONVERSATIONS / elapsed), lost, doubled, crossTalk });
    }
    printTable(`${CONVERSATIONS} conversations at once, fake model ${LATENCY_MS} ms per answer`, ['AGENT_CONCURRENCY', 'seconds', 'turns/s', 'lost', 'double replies', 'cross-talk'],
      concurrencyRuns.map((r) => [r.concurrency as number, r.seconds as number, r.turnsPerSecond as number, r.lost as number, r.doubled as number, r.crossTalk as number]));
    if (concurrencyRuns.some((r) => (r.lost as number) + (r.doubled as number) + (r.crossTalk as number) > 0)) {
      console.error('\nFAILED: a conversation lost its turn, got two replies, or got another conversation\'s reply');
      process.exitCode = 1;
    }
    const file = writeResults('agent-turns', { context: finishContext(context), overhead: [plain, tool], concurrency: concurrencyRuns });
    console.log(`\nresults: ${file}`);
  } finally {
    await app.close();
    await fake.close();
    await db.drop();
  }
}

await main();
