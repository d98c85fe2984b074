import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import type { Sequelize } from 'sequelize';
import request from 'supertest';
import type { FakeOpenAI } from '../../../tests/fakes/openai/index.js';
import { scopeRunner } from '../../src/db/tenant-scope.js';
import { createLogger } from '../../src/logger.js';
import { agentTurnRunner } from '../../src/modules/agent-runtime/run-due-turns.js';
import { scheduleAgentTurn } from '../../src/modules/agent-runtime/schedule-agent-turn.js';
import type { AgentSettings } from '../../src/modules/agents/agent-types.js';
import { enqueueOutbox } from '../../src/modules/outbox/enqueue-outbox.js';
import { receiveInbound } from '../../src/modules/messages/receive-inbound.js';
import type { DomainEvent } from '../../src/ports/events.js';
import type { Channel } from '../../src/ports/messaging.js';
import { createAgencyWorld, type WorldAgency } from './accounts-world.js';
import { providerFakes } from './provider-fakes.js';
import { memberPrincipal, type TestApi } from './test-api.js';

export const FACTS = {
  businessName: 'Bright Smile Dental',
  services: 'Teeth cleaning, whitening consultation',
  prices: 'Cleaning $90. Whitening consultation free.',
  hours: 'Mon-Fri 09:00-17:00',
  address: '12 Main St, Springfield',
  faq: [{ question: 'Do you take walk-ins?', answer: 'No, appointments only.' }],
  tone: 'warm and brief',
};

/**
 * One tenant with an agent answering on every channel, a bookable service open around the clock, and
 * the runtime's two halves in this process: message.received -> scheduleAgentTurn, and the turn runner
 * against the fake OpenAI (through the official SDK, as in production).
 */
export class AgentWorld {
  readonly fake: FakeOpenAI = providerFakes().openai;
  world!: WorldAgency;
  agentId!: string;
  serviceId!: string;
  private seenEvents = new Set<string>();
  private readonly runInScope;

  constructor(readonly api: TestApi, readonly db: Sequelize) {
    this.runInScope = scopeRunner(api.container.sequelize);
  }

  get tenant() {
    return this.world.tenants[0];
  }
  get scope() {
    return { agencyId: this.world.id, tenantId: this.tenant.id };
  }
  admin() {
    return this.api.signIn(memberPrincipal(this.world.id, this.tenant.users.tenant_admin));
  }
  member() {
    return this.api.signIn(memberPrincipal(this.world.id, this.tenant.users.tenant_member));
  }

  async arrange(settings: Partial<AgentSettings> = {}): Promise<this> {
    this.world = await createAgencyWorld(this.db);
    await this.db.query(`UPDATE tenants SET time_zone = 'America/New_York' WHERE id = :id`, { replacements: { id: this.tenant.id } });
    const service = await request(this.api.app).post('/api/v1/booking/services').set(this.admin())
      .send({ name: 'Teeth cleaning', durationMinutes: 45, bufferAfterMinutes: 15, priceCents: 9000, currency: 'USD' }).expect(201);
    this.serviceId = service.body.id;
    const weekly = [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, ranges: [{ start: '00:00', end: '24:00' }] }));
    await request(this.api.app).put('/api/v1/booking/hours').set(this.admin()).send({ weekly }).expect(204);
    const agent = await request(this.api.app).post('/api/v1/agents').set(this.admin()).send({
      name: 'Ava', purpose: 'Answer questions and book cleanings', channels: ['web', 'sms', 'telegram', 'whatsapp'],
      settings: { batchWindowMs: 0, maxBatchWaitMs: 0, ...settings },
    }).expect(201);
    this.agentId = agent.body.id;
    const draft = await request(this.api.app).post(`/api/v1/agents/${this.agentId}/versions`).set(this.admin())
      .send({ facts: FACTS, instructions: 'Offer at most three times.' }).expect(201);
    await request(this.api.app).post(`/api/v1/agents/${this.agentId}/versions/${draft.body.version}/publish`).set(this.admin()).send({}).expect(200);
    return this;
  }

  async webContact(name = 'Visitor'): Promise<string> {
    const [rows] = (await this.db.query(`INSERT INTO contacts (agency_id, tenant_id, name) VALUES (:agencyId, :tenantId, :name) RETURNING id`, {
      replacements: { ...this.scope, name },
    })) as [{ id: string }[], unknown];
    return rows[0]!.id;
  }

  /** A contact writes (as the web widget does), and the event reaches the agent runtime's handler. */
  async says(contactId: string, text: string, channel: Channel = 'web'): Promise<string> {
    const messaging = { runInScope: this.runInScope, events: this.api.container.events, enqueueOutbox };
    const outcome = await receiveInbound(messaging, {
      ...this.scope, channel, from: contactId, to: 'agent', body: text, provider: 'web_chat',
      providerMessageId: `${contactId}:${Math.random().toString(36).slice(2)}`, receivedAt: new Date(),
    });
    await this.deliverEvents();
    return outcome.message.id;
  }

  /** message.received events of this tenant not yet handed to the runtime (the worker's event relay does this). */
  async deliverEvents(): Promise<DomainEvent[]> {
    const [rows] = (await this.db.query(
      `SELECT id, type, agency_id AS "agencyId", tenant_id AS "tenantId", occurred_at AS "occurredAt", data FROM event_outbox
       WHERE tenant_id = :tenantId AND type = 'message.received' ORDER BY occurred_at`, { replacements: { tenantId: this.tenant.id } },
    )) as [DomainEvent[], unknown];
    const fresh = rows.filter((e) => !this.seenEvents.has(e.id));
    for (const event of fresh) {
      this.seenEvents.add(event.id);
      await scheduleAgentTurn({ runInScope: this.runInScope }, event);
    }
    return fresh;
  }

  /** Runs every due turn to the end (what the worker's agent loop does). */
  async runTurns(): Promise<number> {
    const runner = agentTurnRunner({
      sequelize: this.api.container.sequelize, runInScope: this.runInScope, events: this.api.container.events, enqueueOutbox,
      llms: this.api.container.llms, logger: createLogger({ logLevel: 'silent' }), concurrency: 20, leaseSeconds: 60, retryBaseMs: 200,
      payments: { payments: this.api.container.payments, encryptionKey: this.api.container.config.secrets.encryptionKey, fallbackSecretKey: this.api.container.config.stripe.secretKey },
    });
    const started = await runner.pass();
    await runner.drain();
    return started;
  }

  async turns(): Promise<{ id: string; status: string; outcome: string | null; inboundCount: number; replyText: string | null; toolCalls: { name: string; ok: boolean; result: Record<string, unknown> }[] }[]> {
    const res = await request(this.api.app).get(`/api/v1/agents/${this.agentId}/turns`).set(this.member()).expect(200);
    return res.body.turns;
  }

  async agentMessages(contactId: string): Promise<{ body: string; purpose: string; status: string }[]> {
    const [rows] = (await this.db.query(
      `SELECT body, purpose, status FROM messages WHERE tenant_id = :tenantId AND contact_id = :contactId AND direction = 'outbound' AND source = 'agent' ORDER BY seq`,
      { replacements: { tenantId: this.tenant.id, contactId } },
    )) as [{ body: string; purpose: string; status: string }[], unknown];
    return rows;
  }

  async eventTypes(type: string): Promise<Record<string, unknown>[]> {
    const [rows] = (await this.db.query(`SELECT data FROM event_outbox WHERE tenant_id = :tenantId AND type = :type ORDER BY occurred_at`, {
      replacements: { tenantId: this.tenant.id, type },
    })) as [{ data: Record<string, unknown> }[], unknown];
    return rows.map((r) => r.data);
  }
}

/** The system prompt and the user turns of the last completion request the fake received. */
export function lastPrompt(fake: FakeOpenAI): { system: string; users: string[] } {
  const last = fake.completions.at(-1);
  expect(last, 'a completion request').to.not.equal(undefined);
  return {
    system: String(last!.messages[0]?.content ?? ''),
    users: last!.messages.filter((m) => m.role === 'user').map((m) => String(m.content)),
  };
}

/** An agent answering on web chat with two versions (1 archived, 2 active), inserted beneath RLS (route matrices). */
export async function insertAgentRow(db: Sequelize, t: { agencyId: string; tenantId: string }): Promise<{ id: string; webKey: string }> {
  const webKey = `wk_${randomBytes(12).toString('base64url')}`;
  const [rows] = (await db.query(
    `INSERT INTO agents (agency_id, tenant_id, name, channels, web_key) VALUES (:agencyId, :tenantId, 'Matrix agent', '{web}', :webKey) RETURNING id`,
    { replacements: { ...t, webKey } },
  )) as [{ id: string }[], unknown];
  const id = rows[0]!.id;
  await db.query(
    `INSERT INTO agent_prompt_versions (agency_id, tenant_id, agent_id, version, status, facts, published_at)
     VALUES (:agencyId, :tenantId, :id, 1, 'archived', '{"businessName":"Matrix"}', now() - interval '1 hour'),
            (:agencyId, :tenantId, :id, 2, 'active', '{"businessName":"Matrix 2"}', now())`,
    { replacements: { ...t, id } },
  );
  return { id, webKey };
}
