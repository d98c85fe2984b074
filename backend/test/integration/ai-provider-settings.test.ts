import { expect } from 'chai';
import type { Sequelize } from 'sequelize';
import request from 'supertest';
import { loadConfig } from '../../src/config.js';
import { createContainer } from '../../src/container.js';
import { decryptSecret } from '../../src/infra/crypto.js';
import { createLogger } from '../../src/logger.js';
import { agentTurnRunner } from '../../src/modules/agent-runtime/run-due-turns.js';
import { scheduleAgentTurn } from '../../src/modules/agent-runtime/schedule-agent-turn.js';
import { enqueueOutbox } from '../../src/modules/outbox/enqueue-outbox.js';
import { scopeRunner } from '../../src/db/tenant-scope.js';
import type { DomainEvent } from '../../src/ports/events.js';
import { createAgencyWorld, superuserSequelize, type WorldAgency } from '../support/accounts-world.js';
import { aiProviderBody } from '../support/ai-provider-world.js';
import { testEncryptionKey } from '../support/env.js';
import { providerFakes } from '../support/provider-fakes.js';
import { actingAsPrincipal, memberPrincipal, testEnv, TestApi } from '../support/test-api.js';

describe('AI provider settings: per agency, tenant override, env default; test button; agents need a model (fake OpenAI)', () => {
  let db: Sequelize;
  let api: TestApi;
  let world: WorldAgency;
  const fake = () => providerFakes().openai;

  before(() => {
    db = superuserSequelize();
    // No LLM_* env: only what the portal saves gives the installation a model.
    api = new TestApi(createContainer(loadConfig({ ...testEnv({ LLM_MAX_RETRIES: '0', LLM_TIMEOUT_MS: '1500' }), LLM_API_KEY: undefined })));
  });
  beforeEach(async () => {
    world = await createAgencyWorld(db);
    fake().reset();
  });
  afterEach(() => fake().reset());
  after(async () => {
    await api.close();
    await db.close();
  });

  const owner = () => api.signIn(memberPrincipal(world.id, world.owner));
  const tenantAdmin = (i = 0) => api.signIn(memberPrincipal(world.id, world.tenants[i]!.users.tenant_admin));
  const actingOperator = () => api.signIn(actingAsPrincipal(world.id, world.operator, world.tenants[0].id));
  const generate = (who: Record<string, string>) =>
    request(api.app).post('/api/v1/ai/generate').set(who).send({ task: 'summary', text: 'Customer wants Friday.' });

  it('when nothing is saved, then tenants see "none"; the agency default applies to every tenant, a tenant override wins, removing it falls back', async () => {
    const none = await request(api.app).get('/api/v1/ai/provider').set(tenantAdmin()).expect(200);
    expect(none.body).to.deep.include({ saved: null });
    expect(none.body.effective).to.include({ source: 'none', model: null });
    expect((await generate(tenantAdmin()).expect(503)).body.error.details.reason).to.equal('llm_not_configured');

    await request(api.app).put('/api/v1/agency/ai-provider').set(owner()).send(aiProviderBody({ model: 'agency-model' })).expect(200);
    for (const i of [0, 1]) {
      const view = await request(api.app).get('/api/v1/ai/provider').set(tenantAdmin(i)).expect(200);
      expect(view.body.saved).to.equal(null);
      expect(view.body.effective).to.include({ source: 'agency', model: 'agency-model', baseUrl: fake().baseUrl });
    }
    expect((await generate(tenantAdmin(0)).expect(200)).body.model).to.equal('agency-model');

    // The operator, acting in tenant 0, gives it its own model; tenant 1 keeps the agency's.
    const saved = await request(api.app).put('/api/v1/ai/provider').set(actingOperator()).send(aiProviderBody({ model: 'tenant-model', fallbackModel: 'tenant-fallback' })).expect(200);
    expect(saved.body).to.include({ level: 'tenant', model: 'tenant-model', fallbackModel: 'tenant-fallback' });
    expect((await generate(tenantAdmin(0)).expect(200)).body.model).to.equal('tenant-model');
    expect((await generate(tenantAdmin(1)).expect(200)).body.model).to.equal('agency-model');
    expect(fake().completions.map((c) => c.model)).to.deep.equal(['agency-model', 'tenant-model', 'agency-model']);

    // Another agency sees nothing of it.
    const other = await createAgencyWorld(db);
    const foreign = await request(api.app).get('/api/v1/ai/provider').set(api.signIn(memberPrincipal(other.id, other.tenants[0].users.tenant_admin))).expect(200);
    expect(foreign.body.effective.source).to.equal('none');

    await request(api.app).delete('/api/v1/ai/provider').set(tenantAdmin()).expect(204);
    expect((await request(api.app).get('/api/v1/ai/provider').set(tenantAdmin()).expect(200)).body.effective.source).to.equal('agency');
    await request(api.app).delete('/api/v1/agency/ai-provider').set(owner()).expect(204);
    expect((await request(api.app).get('/api/v1/ai/provider').set(tenantAdmin()).expect(200)).body.effective.source).to.equal('none');
  });

  it('when the primary model fails, then the fallback model answers; a refused key does not fall back', async () => {
    await request(api.app).put('/api/v1/agency/ai-provider').set(owner()).send(aiProviderBody({ model: 'primary', fallbackModel: 'backup' })).expect(200);
    fake().respondTo({ model: 'primary' }, { error: { status: 404, message: 'The model `primary` does not exist' } });
    expect((await generate(tenantAdmin()).expect(200)).body.model).to.equal('backup');

    await request(api.app).put('/api/v1/agency/ai-provider').set(owner()).send(aiProviderBody({ apiKey: 'sk-wrong-key-1234', model: 'primary', fallbackModel: 'backup' })).expect(200);
    const asked = () => fake().requests.filter((r) => r.path.endsWith('/chat/completions')).length;
    const before = asked();
    const refused = await generate(tenantAdmin()).expect(502);
    expect(refused.body.error.details.reason).to.equal('llm_invalid_key');
    expect(asked() - before, 'one call, no fallback').to.equal(1);
  });

  it('when the key is saved, then it is encrypted at rest, never returned nor audited, and kept when a later save omits it', async () => {
    const key = 'sk-live-very-secret-key-9876';
    const saved = await request(api.app).put('/api/v1/agency/ai-provider').set(owner()).send(aiProviderBody({ apiKey: key })).expect(200);
    expect(saved.body).to.include({ level: 'agency', apiKeyLast4: '9876' });
    expect(JSON.stringify(saved.body)).not.to.include(key);
    const [rows] = (await db.query('SELECT * FROM ai_provider_settings WHERE agency_id = :id', { replacements: { id: world.id } })) as [Record<string, string>[], unknown];
    expect(rows).to.have.length(1);
    expect(JSON.stringify(rows[0])).not.to.include(key);
    expect(decryptSecret(testEncryptionKey(), rows[0]!.api_key_ciphertext!)).to.equal(key);
    const [audit] = (await db.query(`SELECT action, before, after FROM audit_events WHERE agency_id = :id AND action LIKE 'ai_provider.%'`, { replacements: { id: world.id } })) as [unknown[], unknown];
    expect(audit).to.have.length(1);
    expect(JSON.stringify(audit)).not.to.include(key).and.to.include('9876');

    const { apiKey: _omitted, ...withoutKey } = aiProviderBody({ model: 'gpt-4.1-nano' });
    await request(api.app).put('/api/v1/agency/ai-provider').set(owner()).send(withoutKey).expect(200);
    const [after] = (await db.query('SELECT api_key_ciphertext, model FROM ai_provider_settings WHERE agency_id = :id', { replacements: { id: world.id } })) as [Record<string, string>[], unknown];
    expect(after[0]!.model).to.equal('gpt-4.1-nano');
    expect(decryptSecret(testEncryptionKey(), after[0]!.api_key_ciphertext!)).to.equal(key);
  });

  it('when "Test" is pressed, then the model answers (200), a refused key is a 502 and an unreachable endpoint a 503, each remembered', async () => {
    await request(api.app).put('/api/v1/agency/ai-provider').set(owner()).send(aiProviderBody()).expect(200);
    fake().respond({ reply: 'Hello! The connection works.' });
    const ok = await request(api.app).post('/api/v1/agency/ai-provider/test').set(owner()).send({}).expect(200);
    expect(ok.body).to.include({ ok: true, source: 'agency', model: 'gpt-4.1-mini', answer: 'Hello! The connection works.' });
    const view = await request(api.app).get('/api/v1/agency/ai-provider').set(owner()).expect(200);
    expect(view.body.saved.lastTest).to.include({ ok: true, error: null });

    await request(api.app).put('/api/v1/agency/ai-provider').set(owner()).send(aiProviderBody({ apiKey: 'sk-not-known-to-fake' })).expect(200);
    const refused = await request(api.app).post('/api/v1/agency/ai-provider/test').set(owner()).send({}).expect(502);
    expect(refused.body.error).to.deep.include({ code: 'PROVIDER_ERROR' });
    expect(refused.body.error.details).to.include({ provider: 'llm', reason: 'llm_invalid_key', providerStatus: 401 });
    expect(refused.body.error.message).to.match(/refused the API key/);

    await request(api.app).put('/api/v1/agency/ai-provider').set(owner()).send(aiProviderBody({ baseUrl: 'http://127.0.0.1:9/v1' })).expect(200);
    const down = await request(api.app).post('/api/v1/agency/ai-provider/test').set(owner()).send({}).expect(503);
    expect(down.body.error).to.deep.include({ code: 'PROVIDER_UNREACHABLE' });
    expect(down.body.error.details).to.include({ provider: 'llm', reason: 'llm_unavailable' });
    const failed = await request(api.app).get('/api/v1/agency/ai-provider').set(owner()).expect(200);
    expect(failed.body.saved.lastTest.ok).to.equal(false);
    expect(failed.body.saved.lastTest.error).to.match(/^llm_unavailable/);

    const nothing = await request(api.app).post('/api/v1/ai/provider/test').set(tenantAdmin(1)).send({}).expect(503);
    expect(nothing.body.error.code).to.equal('PROVIDER_UNREACHABLE'); // tenant 1 uses the agency's (unreachable) endpoint
    await request(api.app).delete('/api/v1/agency/ai-provider').set(owner()).expect(204);
    expect((await request(api.app).post('/api/v1/ai/provider/test').set(tenantAdmin(1)).send({}).expect(409)).body.error.details.reason).to.equal('llm_not_configured');
  });

  it('when no model is set up or it does not answer, then an agent cannot be switched on (409 with the reason and where to fix it); once it answers, it can', async () => {
    const agent = { name: 'Ava', channels: ['web'] };
    const refused = await request(api.app).post('/api/v1/agents').set(tenantAdmin()).send(agent).expect(409);
    expect(refused.body.error.message).to.match(/No AI model is set up/);
    expect(refused.body.error.details).to.deep.equal({ reason: 'llm_not_configured', settingsPath: '/ai-model' });
    const created = await request(api.app).post('/api/v1/agents').set(tenantAdmin()).send({ ...agent, enabled: false }).expect(201);
    const patch = () => request(api.app).patch(`/api/v1/agents/${created.body.id}`).set(tenantAdmin()).send({ enabled: true });
    expect((await patch().expect(409)).body.error.details.reason).to.equal('llm_not_configured');

    // Saved but the key is wrong: the live check says so.
    await request(api.app).put('/api/v1/agency/ai-provider').set(owner()).send(aiProviderBody({ apiKey: 'sk-wrong-key-5678' })).expect(200);
    const wrongKey = await patch().expect(409);
    expect(wrongKey.body.error.details.reason).to.equal('llm_invalid_key');
    expect(wrongKey.body.error.message).to.match(/did not answer.*refused the API key/);

    // Fixed and tested: switching on uses the remembered test, without another model call.
    await request(api.app).put('/api/v1/agency/ai-provider').set(owner()).send(aiProviderBody()).expect(200);
    await request(api.app).post('/api/v1/agency/ai-provider/test').set(owner()).send({}).expect(200);
    const calls = fake().completions.length;
    expect((await patch().expect(200)).body.enabled).to.equal(true);
    expect(fake().completions.length).to.equal(calls);
  });

  it('when the agent cannot reach a model, then the web chat history shows the failure at once: the reason to staff, a neutral line to the visitor', async () => {
    await request(api.app).put('/api/v1/agency/ai-provider').set(owner()).send(aiProviderBody()).expect(200);
    await request(api.app).post('/api/v1/agency/ai-provider/test').set(owner()).send({}).expect(200);
    const agent = await request(api.app).post('/api/v1/agents').set(tenantAdmin()).send({ name: 'Ava', channels: ['web'], settings: { batchWindowMs: 0, maxBatchWaitMs: 0 } }).expect(201);
    const draft = await request(api.app).post(`/api/v1/agents/${agent.body.id}/versions`).set(tenantAdmin()).send({ facts: { businessName: 'Bright Smile' } }).expect(201);
    await request(api.app).post(`/api/v1/agents/${agent.body.id}/versions/${draft.body.version}/publish`).set(tenantAdmin()).send({}).expect(200);
    // Then the agency removes its model: the live agent has nothing to talk to.
    await request(api.app).delete('/api/v1/agency/ai-provider').set(owner()).expect(204);

    const session = await request(api.app).post(`/api/v1/web-chat/${agent.body.webKey}/sessions`).send({}).expect(201);
    const { sessionToken } = session.body;
    await request(api.app).post('/api/v1/web-chat/messages').send({ sessionToken, text: 'Hi, are you open on Saturday?' }).expect(201);
    const before = await request(api.app).post('/api/v1/web-chat/history').send({ sessionToken }).expect(200);
    expect(before.body.failure).to.equal(null);

    await runDueTurns(world.tenants[0].id);

    const visitor = await request(api.app).post('/api/v1/web-chat/history').send({ sessionToken }).expect(200);
    expect(visitor.body.messages.map((m: { from: string }) => m.from)).to.deep.equal(['visitor']);
    expect(visitor.body.failure).to.include({ reason: null });
    expect(visitor.body.failure.message).to.match(/can't answer right now/);
    const staff = await request(api.app).post('/api/v1/web-chat/history').set(tenantAdmin()).send({ sessionToken }).expect(200);
    expect(staff.body.failure.reason).to.equal('llm_not_configured');
    expect(staff.body.failure.message).to.match(/^The AI model could not answer: No AI model is set up/);
    const view = await request(api.app).get(`/api/v1/agents/${agent.body.id}`).set(tenantAdmin()).expect(200);
    expect(view.body.lastError).to.match(/^llm_not_configured/);

    // A new message opens a new turn: the chat waits for it again.
    await request(api.app).post('/api/v1/web-chat/messages').send({ sessionToken, text: 'Hello?' }).expect(201);
    expect((await request(api.app).post('/api/v1/web-chat/history').send({ sessionToken }).expect(200)).body.failure).to.equal(null);
  });

  /** The worker's two halves in this process: message.received -> a turn, then the turn runner. */
  async function runDueTurns(tenantId: string): Promise<void> {
    const runInScope = scopeRunner(api.container.sequelize);
    const [events] = (await db.query(
      `SELECT id, type, agency_id AS "agencyId", tenant_id AS "tenantId", occurred_at AS "occurredAt", data FROM event_outbox
       WHERE tenant_id = :tenantId AND type = 'message.received' ORDER BY occurred_at`, { replacements: { tenantId } },
    )) as [DomainEvent[], unknown];
    for (const event of events) await scheduleAgentTurn({ runInScope }, event);
    const runner = agentTurnRunner({
      sequelize: api.container.sequelize, runInScope, events: api.container.events, enqueueOutbox, llms: api.container.llms,
      logger: createLogger({ logLevel: 'silent' }), concurrency: 4, leaseSeconds: 60,
    });
    await runner.pass();
    await runner.drain();
  }
});
