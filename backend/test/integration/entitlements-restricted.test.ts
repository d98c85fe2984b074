import { expect } from 'chai';
import { QueryTypes, type Sequelize } from 'sequelize';
import request from 'supertest';
import { superuserSequelize } from '../support/accounts-world.js';
import { AgentWorld } from '../support/agent-world.js';
import { TestApi } from '../support/test-api.js';

type Row = Record<string, unknown>;

/**
 * A tenant whose payment failed 10 days ago (grace 7 days): restricted. Nothing it receives is lost,
 * compliance still works, conversations can still be answered by people, but nothing new goes out and
 * the AI agent hands over instead of replying. Paying restores everything at once.
 */
describe('restricted tenant (past due beyond its grace): inbound kept, STOP honoured, follow-ups denied, the agent hands off', () => {
  let db: Sequelize;
  let api: TestApi;
  let w: AgentWorld;

  const rows = async (sql: string, replacements: Record<string, unknown>) => db.query<Row>(sql, { replacements, type: QueryTypes.SELECT });
  const setStatus = (status: string, pastDueDays: number | null) => db.query(
    `UPDATE subscriptions SET status = :status, past_due_since = CASE WHEN CAST(:days AS int) IS NULL THEN NULL ELSE now() - make_interval(days => CAST(:days AS int)) END
     WHERE tenant_id = :tenantId`, { replacements: { status, days: pastDueDays, tenantId: w.tenant.id } });
  const sendFollowUp = (contactId: string, body: string) =>
    request(w.api.app).post('/api/v1/messages').set(w.member()).send({ contactId, channel: 'web', body }).expect(201);

  before(async () => {
    db = superuserSequelize();
    api = TestApi.create({ LLM_MAX_RETRIES: '0', LLM_TIMEOUT_MS: '1500' });
    w = await new AgentWorld(api, db).arrange();
    w.fake.reset();
    const [plan] = await rows(`INSERT INTO plans (agency_id, name, currency) VALUES (:agencyId, 'Growth', 'usd') RETURNING id`, w.scope);
    const [version] = await rows(
      `INSERT INTO plan_versions (plan_id, agency_id, version, monthly_price_minor, entitlements, created_by, stripe_sync_status)
       VALUES (:planId, :agencyId, 1, 9900, CAST(:entitlements AS jsonb), 'test', 'not_connected') RETURNING id`,
      { ...w.scope, planId: plan!.id, entitlements: JSON.stringify({ agents: 3, seats: 10, channels: ['sms', 'web_chat'], features: [], allowances: { sms_segments: 0, voice_minutes: 0, whatsapp_messages: 0, ai_tokens: 0, ai_replies: 0 } }) },
    );
    await db.query(
      `INSERT INTO subscriptions (agency_id, tenant_id, plan_version_id, status, billing, interval, current_period_start, current_period_end, past_due_since)
       VALUES (:agencyId, :tenantId, :versionId, 'past_due', 'stripe', 'month', now() - interval '20 days', now() + interval '10 days', now() - interval '10 days')`,
      { replacements: { ...w.scope, versionId: version!.id } },
    );
  });
  after(async () => {
    await api.close();
    await db.close();
  });

  it('when a customer writes, then the message is stored, no AI reply is made, and the conversation is handed to the team with the reason', async () => {
    const dana = await w.webContact('Dana');
    const inboundId = await w.says(dana, 'Hi, do you have time on Friday?');
    expect(await rows('SELECT direction, body FROM messages WHERE id = :id', { id: inboundId })).to.deep.equal([{ direction: 'inbound', body: 'Hi, do you have time on Friday?' }]);

    await w.runTurns();
    expect(w.fake.completions, 'the model is never asked').to.have.length(0);
    expect((await w.turns())[0]).to.include({ status: 'skipped', outcome: 'subscription_restricted' });
    expect(await w.agentMessages(dana)).to.deep.equal([]);
    const [handoff] = await w.eventTypes('agent.handoff');
    expect(handoff).to.include({ reason: 'subscription_restricted' });
    expect(String(handoff!.summary)).to.match(/^Your subscription payment is overdue, so AI replies are paused/);
    const [state] = await rows('SELECT paused_reason AS reason FROM agent_conversation_states WHERE tenant_id = :tenantId', { tenantId: w.tenant.id });
    expect(state).to.deep.equal({ reason: 'subscription_restricted' });

    // A person answers in the conversation: a reply is transactional and goes out.
    const reply = await sendFollowUp(dana, 'Hi Dana, Friday at 10 works. See you then!');
    expect(reply.body.status).to.not.equal('denied');
    expect(reply.body.policy.reason.code).to.equal('ALLOWED_TRANSACTIONAL');
  });

  it('when a contact texts STOP, then the opt-out is recorded and confirmed', async () => {
    const lee = await w.webContact('Lee');
    await w.says(lee, 'STOP');
    const consent = await request(w.api.app).get(`/api/v1/contacts/${lee}`).set(w.member()).expect(200);
    expect(consent.body.consent.find((c: { channel: string }) => c.channel === 'web')).to.include({ state: 'opted_out' });
    const confirmations = await rows(`SELECT status, policy_reason AS reason FROM messages WHERE contact_id = :lee AND direction = 'outbound'`, { lee });
    expect(confirmations).to.have.length(1);
    expect(confirmations[0]!.status).to.not.equal('denied');
    expect(confirmations[0]!.reason).to.equal('ALLOWED_TRANSACTIONAL');
  });

  it('when an automation sends a follow-up or a campaign message to a contact who has not written, then it is stored as denied with SUBSCRIPTION_RESTRICTED (the n8n node gets it as data)', async () => {
    const sam = await w.webContact('Sam');
    const denied = await sendFollowUp(sam, 'Spring offer: 20% off whitening this month!');
    expect(denied.body.status).to.equal('denied');
    expect(denied.body.policy.reason).to.deep.include({ code: 'SUBSCRIPTION_RESTRICTED' });
    expect(denied.body.policy.reason.message).to.match(/subscription is unpaid, ended or paused/);
  });

  it('when the tenant pays (active again), then follow-ups go out and the agent answers new conversations at once', async () => {
    await setStatus('active', null);
    const sam = await w.webContact('Sam again');
    expect((await sendFollowUp(sam, 'Spring offer: 20% off whitening this month!')).body.status).to.not.equal('denied');
    const kim = await w.webContact('Kim');
    w.fake.respond({ reply: 'Hi Kim! How can I help?' });
    await w.says(kim, 'Hello?');
    await w.runTurns();
    expect((await w.agentMessages(kim)).map((m) => m.body)).to.deep.equal(['Hi Kim! How can I help?']);
  });

  it('when past due but still inside the grace period, then nothing is restricted yet', async () => {
    await setStatus('past_due', 2);
    const ana = await w.webContact('Ana');
    expect((await sendFollowUp(ana, 'Reminder: your cleaning is due')).body.status).to.not.equal('denied');
  });
});
