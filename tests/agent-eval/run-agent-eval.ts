// `make agent-eval`: checks the configured LLM (LLM_BASE_URL, LLM_API_KEY, LLM_MODEL, as in .env) against
// scripted conversations through the real agent runtime (a fresh, migrated PostgreSQL database; the web
// channel), and prints a pass/fail table. Not part of `make test`: it needs a real model and costs tokens.
// Exit code 1 when a scenario fails, so an agency can gate a model switch on it.
import { randomUUID } from 'node:crypto';
import type { Sequelize } from 'sequelize';
import { selectLlm } from '../../backend/src/adapters/llm/select-llm.js';
import { createSequelize } from '../../backend/src/db/sequelize.js';
import { scopeRunner } from '../../backend/src/db/tenant-scope.js';
import { createLogger } from '../../backend/src/logger.js';
import { agentTurnRunner } from '../../backend/src/modules/agent-runtime/run-due-turns.js';
import { scheduleAgentTurn } from '../../backend/src/modules/agent-runtime/schedule-agent-turn.js';
import { outboxEventBus } from '../../backend/src/modules/events/publish-event.js';
import { receiveInbound } from '../../backend/src/modules/messages/receive-inbound.js';
import { enqueueOutbox } from '../../backend/src/modules/outbox/enqueue-outbox.js';
import { ADMIN_URL, createBenchDatabase } from '../../bench/support/bench-database.js';
import { printTable } from '../../bench/support/report.js';
import { SCENARIOS, type Outcome } from './scenarios.js';

const env = process.env;
const logger = createLogger({ logLevel: env.AGENT_EVAL_LOG === '1' ? 'debug' : 'silent' });

async function one<T>(db: Sequelize, sql: string, replacements: Record<string, unknown>): Promise<T> {
  const [rows] = (await db.query(sql, { replacements })) as [T[], unknown];
  return rows[0]!;
}

async function main(): Promise<number> {
  if (!env.LLM_API_KEY) {
    console.error('agent-eval: set LLM_API_KEY (and LLM_BASE_URL / LLM_MODEL for a non-OpenAI endpoint), e.g. in .env');
    return 2;
  }
  const llm = selectLlm({
    apiKey: env.LLM_API_KEY, baseUrl: (env.LLM_BASE_URL ?? 'https://api.openai.com/v1').replace(/\/+$/, ''), model: env.LLM_MODEL ?? 'gpt-4o-mini',
    fallbackModel: env.LLM_FALLBACK_MODEL, timeoutMs: Number(env.LLM_TIMEOUT_MS ?? 60_000), maxRetries: 2, maxRetryDelayMs: 20_000, pricePerMillion: undefined,
  });
  console.log(`agent-eval: ${SCENARIOS.length} scenarios against ${env.LLM_MODEL ?? 'gpt-4o-mini'} at ${env.LLM_BASE_URL ?? 'https://api.openai.com/v1'} (database ${ADMIN_URL.replace(/\/\/[^@]*@/, '//')})`);
  const db = await createBenchDatabase();
  const app = createSequelize(db.appUrl, logger, { poolMax: 5 });
  const runInScope = scopeRunner(app);
  const events = outboxEventBus(app);
  const runner = agentTurnRunner({ sequelize: app, runInScope, events, enqueueOutbox, llms: { forTenant: async () => llm }, logger, concurrency: 4, leaseSeconds: 300, retryBaseMs: 1000 });
  const rows: (string | number)[][] = [];
  let failed = 0;
  try {
    const { id: agencyId } = await one<{ id: string }>(db.admin, `INSERT INTO agencies (name) VALUES ('Eval agency') RETURNING id`, {});
    const { id: tenantId } = await one<{ id: string }>(db.admin,
      `INSERT INTO tenants (agency_id, name, slug, time_zone) VALUES (:agencyId, 'Bright Smile Dental', 'eval', 'America/New_York') RETURNING id`, { agencyId });
    const scope = { agencyId, tenantId };
    const { id: agentId } = await one<{ id: string }>(db.admin,
      `INSERT INTO agents (agency_id, tenant_id, name, purpose, channels, settings, web_key) VALUES (:agencyId, :tenantId, 'Ava',
         'Answer questions about the clinic and book cleanings', '{web}', '{"batchWindowMs": 0}', :webKey) RETURNING id`, { ...scope, webKey: `wk_${randomUUID().replace(/-/g, '')}` });
    await db.admin.query(`INSERT INTO agent_prompt_versions (agency_id, tenant_id, agent_id, version, status, facts, published_at)
      VALUES (:agencyId, :tenantId, :agentId, 1, 'active', :facts, now())`, { replacements: { ...scope, agentId, facts: JSON.stringify(FACTS) } });
    const { id: serviceId } = await one<{ id: string }>(db.admin,
      `INSERT INTO booking_services (agency_id, tenant_id, name, duration_minutes, price_cents, currency) VALUES (:agencyId, :tenantId, 'Teeth cleaning', 45, 9000, 'usd') RETURNING id`, scope);
    for (let weekday = 1; weekday <= 5; weekday += 1) {
      await db.admin.query(`INSERT INTO booking_hours (agency_id, tenant_id, weekday, start_time, end_time) VALUES (:agencyId, :tenantId, :weekday, '09:00', '17:00')`, { replacements: { ...scope, weekday } });
    }
    void serviceId;

    for (const scenario of SCENARIOS) {
      const started = performance.now();
      const { id: contactId } = await one<{ id: string }>(db.admin, `INSERT INTO contacts (agency_id, tenant_id, name) VALUES (:agencyId, :tenantId, :name) RETURNING id`, { ...scope, name: scenario.name });
      for (const text of scenario.messages) {
        const { message } = await receiveInbound({ runInScope, events, enqueueOutbox }, {
          ...scope, channel: 'web', from: contactId, to: 'agent', body: text, provider: 'web_chat', providerMessageId: randomUUID(), receivedAt: new Date(),
        });
        await scheduleAgentTurn({ runInScope }, {
          id: randomUUID(), type: 'message.received', ...scope, occurredAt: new Date().toISOString(),
          data: { messageId: message.id, conversationId: message.conversationId, contactId, channel: 'web', keyword: null },
        });
        await runner.pass();
        await runner.drain();
      }
      const outcome = await outcomeOf(db.admin, contactId);
      const verdict = scenario.check(outcome);
      if (!verdict.pass) failed += 1;
      rows.push([scenario.name, verdict.pass ? 'PASS' : 'FAIL', verdict.detail.slice(0, 70), outcome.tokens, Math.round(performance.now() - started)]);
    }
  } finally {
    await app.close();
    await db.drop();
  }
  printTable('Agent evaluation', ['scenario', 'result', 'detail', 'tokens', 'ms'], rows);
  console.log(`\n${SCENARIOS.length - failed}/${SCENARIOS.length} passed`);
  return failed === 0 ? 0 : 1;
}

const FACTS = {
  businessName: 'Bright Smile Dental',
  services: 'Teeth cleaning (45 minutes)',
  prices: 'Teeth cleaning: $90.',
  hours: 'Monday to Friday, 9:00 to 17:00',
  address: '12 Main St, Springfield',
  faq: [{ question: 'Do you take walk-ins?', answer: 'No, appointments only.' }],
  tone: 'warm and brief',
};

async function outcomeOf(admin: Sequelize, contactId: string): Promise<Outcome> {
  const [replies] = (await admin.query(`SELECT body FROM messages WHERE contact_id = :contactId AND direction = 'outbound' ORDER BY seq`, { replacements: { contactId } })) as [{ body: string }[], unknown];
  const [turns] = (await admin.query(`SELECT outcome, tool_calls AS "toolCalls", input_tokens + output_tokens AS tokens FROM agent_turns WHERE contact_id = :contactId ORDER BY created_at`, {
    replacements: { contactId },
  })) as [{ outcome: string; toolCalls: { name: string; ok: boolean }[]; tokens: number }[], unknown];
  const [bookings] = (await admin.query(`SELECT id FROM bookings WHERE contact_id = :contactId AND status = 'confirmed'`, { replacements: { contactId } })) as [unknown[], unknown];
  const [consent] = (await admin.query(`SELECT kind FROM consent_events WHERE contact_id = :contactId ORDER BY occurred_at DESC LIMIT 1`, { replacements: { contactId } })) as [{ kind: string }[], unknown];
  return {
    replies: replies.map((r) => r.body),
    outcomes: turns.map((t) => t.outcome),
    tools: turns.flatMap((t) => t.toolCalls.map((c) => c.name)),
    bookings: bookings.length,
    optedOut: consent[0]?.kind === 'opt_out',
    tokens: turns.reduce((sum, t) => sum + t.tokens, 0),
  };
}

process.exitCode = await main();
