import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { QueryTypes, type Sequelize } from 'sequelize';
import request from 'supertest';
import { createAgencyWorld, superuserSequelize, type WorldAgency } from '../support/accounts-world.js';
import { insertContact } from '../support/messaging-world.js';
import { whatsappCloudBody } from '../support/telephony-world.js';
import { actingAsPrincipal, memberPrincipal, TestApi } from '../support/test-api.js';

type Sent = { status: string; policy: { decision: string; reason: { code: string; message: string }; evidence: { kind: string; id: string } | null } };
type CallRow = { id: string; followUps: { channel: string; status: string; reason: { code: string } | null }[]; followUp: { state: string; failure: { errorMessage: string; node: string | null } | null } };

/**
 * The backend half of the missed-call text-back (the workflow's half runs in the e2e): the call opens a reply
 * window on the caller's number, the channel availability tells the workflow whether WhatsApp can be tried,
 * and a failed execution reported by n8n's error workflow shows on the call and in the agency's figures.
 */
describe('missed-call text-back: reply window from the call, channel availability, automation failures', () => {
  let db: Sequelize;
  let api: TestApi;
  let world: WorldAgency;

  before(async () => {
    db = superuserSequelize();
    api = TestApi.create();
    world = await createAgencyWorld(db);
  });
  after(async () => {
    await api.close();
    await db.close();
  });

  const missedCallFrom = async (tenantId: string, phone: string) => {
    const [row] = await db.query<{ id: string }>(
      `INSERT INTO call_logs (agency_id, tenant_id, provider, provider_call_id, direction, from_number, to_number, status, outcome, started_at, ended_at)
       VALUES (:agencyId, :tenantId, 'twilio', :sid, 'inbound', :phone, '+15005550006', 'no-answer', 'missed', now(), now()) RETURNING id`,
      { replacements: { agencyId: world.id, tenantId, phone, sid: `CA${randomUUID().replace(/-/g, '')}` }, type: QueryTypes.SELECT },
    );
    return row!.id;
  };
  const send = (as: Record<string, string>, key: string, body: Record<string, unknown>) =>
    request(api.app).post('/api/v1/messages').set(as).set('idempotency-key', key).send(body).expect(201).then((res) => res.body as Sent);

  it('when a tenant on the defaults (opt-in required, no WhatsApp) missed a call, then WhatsApp is not available and the SMS text-back is allowed on the call', async () => {
    const a = world.tenants[0];
    const staff = api.signIn(actingAsPrincipal(world.id, world.owner, a.id));
    const channels = await request(api.app).get('/api/v1/channels/availability').set(staff).expect(200);
    expect(channels.body).to.include({ whatsapp: false, whatsappTransport: 'baileys' });
    expect(channels.body.details.whatsapp).to.equal('No WhatsApp phone linked');

    const caller = await insertContact(db, { agencyId: world.id, tenantId: a.id });
    const callId = await missedCallFrom(a.id, caller.phone);
    const sms = await send(staff, `missed-call:${callId}:sms`, { contactId: caller.id, channel: 'sms', body: 'Sorry we missed your call!' });
    expect(sms.status).to.equal('queued');
    expect(sms.policy.decision).to.equal('allow');
    expect(sms.policy.evidence).to.deep.include({ kind: 'call', id: callId });
    expect(sms.policy.reason.message).to.contain(callId);

    // The evidence is stored with the message, and the call shows the follow-up with its reason.
    const stored = await request(api.app).get(`/api/v1/messages/${(sms as unknown as { id: string }).id}`).set(staff).expect(200);
    expect(stored.body.policy.evidence).to.deep.include({ kind: 'call', id: callId });
    const calls = (await request(api.app).get('/api/v1/calls').set(staff).expect(200)).body.calls as CallRow[];
    const call = calls.find((c) => c.id === callId)!;
    expect(call.followUp.state).to.equal('sent');
    expect(call.followUps.map((f) => [f.channel, f.reason?.code])).to.deep.equal([['sms', 'ALLOWED_TRANSACTIONAL']]);

    // Someone who never called or wrote is still not texted without an opt-in.
    const stranger = await insertContact(db, { agencyId: world.id, tenantId: a.id });
    const cold = await send(staff, `cold-${randomUUID()}`, { contactId: stranger.id, channel: 'sms', body: 'Hello!' });
    expect([cold.status, cold.policy.reason.code]).to.deep.equal(['denied', 'CONSENT_REQUIRED']);
  });

  it('when WhatsApp is connected, then it is available; a WhatsApp denial leaves the SMS fallback allowed, and after an opt-out both are denied', async () => {
    const b = world.tenants[1];
    const staff = api.signIn(actingAsPrincipal(world.id, world.owner, b.id));
    await request(api.app).put('/api/v1/tenant/providers/whatsapp-cloud').set(staff).send(whatsappCloudBody()).expect(200);
    const settings = (await request(api.app).get('/api/v1/messaging-settings').set(staff).expect(200)).body;
    await request(api.app).put('/api/v1/messaging-settings').set(staff).send({ ...settings, whatsappTransport: 'cloud' }).expect(200);
    const channels = await request(api.app).get('/api/v1/channels/availability').set(staff).expect(200);
    expect(channels.body).to.include({ whatsapp: true, whatsappTransport: 'cloud' });

    const caller = await insertContact(db, { agencyId: world.id, tenantId: b.id });
    const callId = await missedCallFrom(b.id, caller.phone);
    // Free text on WhatsApp to someone who never wrote there: Meta's 24-hour window denies it (a WhatsApp reason)...
    const whatsapp = await send(staff, `missed-call:${callId}`, { contactId: caller.id, channel: 'whatsapp', body: 'Sorry we missed your call!' });
    expect([whatsapp.status, whatsapp.policy.reason.code]).to.deep.equal(['denied', 'WHATSAPP_SESSION_CLOSED']);
    // ... the approved template is allowed on the call's evidence, and so is the SMS fallback.
    const template = await send(staff, `missed-call:${callId}:template`, { contactId: caller.id, channel: 'whatsapp', template: { name: 'missed_call' } });
    expect(template.policy).to.deep.include({ decision: 'allow' });
    expect(template.policy.evidence).to.deep.include({ kind: 'call', id: callId });
    const sms = await send(staff, `missed-call:${callId}:sms`, { contactId: caller.id, channel: 'sms', body: 'Sorry we missed your call!' });
    expect(sms.policy.decision).to.equal('allow');

    // An opt-out inside the window wins on every channel it covers.
    const optedOut = await insertContact(db, { agencyId: world.id, tenantId: b.id });
    for (const channel of ['whatsapp', 'sms']) {
      await request(api.app).post(`/api/v1/contacts/${optedOut.id}/consent`).set(staff)
        .send({ channel, kind: 'opt_out', source: 'form', wording: 'Do not contact me', evidence: { formId: 'prefs' } }).expect(201);
    }
    const optedOutCall = await missedCallFrom(b.id, optedOut.phone);
    for (const channel of ['whatsapp', 'sms']) {
      const denied = await send(staff, `missed-call:${optedOutCall}:${channel}`, { contactId: optedOut.id, channel, template: { name: 'missed_call' }, body: 'Sorry!' });
      expect([channel, denied.status, denied.policy.reason.code]).to.deep.equal([channel, 'denied', 'OPTED_OUT']);
    }
  });

  it("when an execution that recorded its call fails, then n8n's report shows on that call and counts in the agency's failures today", async () => {
    const a = world.tenants[0];
    const staff = api.signIn(actingAsPrincipal(world.id, world.owner, a.id));
    const agency = api.signIn(memberPrincipal(world.id, world.owner));
    const callId = await missedCallFrom(a.id, '+1415555' + String(1000 + Math.floor(Math.random() * 8999)));
    const before = (await request(api.app).get('/api/v1/agency/tenants/health').set(agency).expect(200)).body.tenants.find((t: { tenantId: string }) => t.tenantId === a.id);

    const executionId = String(Math.floor(Math.random() * 1e9));
    await request(api.app).post('/api/v1/automation-runs').set(staff)
      .send({ workflowId: 'sbAfterCall00001', workflowName: 'Switchboard: missed call follow-up', executionId, callId }).expect(201);
    let calls = (await request(api.app).get('/api/v1/calls').set(staff).expect(200)).body.calls as CallRow[];
    expect(calls.find((c) => c.id === callId)!.followUp.state).to.equal('running');

    const report = { workflowId: 'sbAfterCall00001', executionId, node: 'Find or create caller', errorMessage: 'Switchboard answered POST /api/v1/contacts with HTTP 400 (VALIDATION_FAILED: The request is not valid)', executionUrl: `http://127.0.0.1:5678/workflow/sbAfterCall00001/executions/${executionId}` };
    const failure = await request(api.app).post('/api/v1/agency/automation-failures').set(agency).send(report).expect(201);
    expect(failure.body).to.include({ tenantId: a.id, callId, node: 'Find or create caller' });
    // n8n reporting the same execution again records it once.
    await request(api.app).post('/api/v1/agency/automation-failures').set(agency).send(report).expect(201);

    calls = (await request(api.app).get('/api/v1/calls').set(staff).expect(200)).body.calls as CallRow[];
    const call = calls.find((c) => c.id === callId)!;
    expect(call.followUp.state).to.equal('failed');
    expect(call.followUp.failure).to.include({ node: 'Find or create caller', errorMessage: report.errorMessage });
    const listed = await request(api.app).get('/api/v1/automation-failures').set(staff).expect(200);
    expect(listed.body.failures.filter((f: { executionId: string }) => f.executionId === executionId)).to.have.length(1);

    const after = (await request(api.app).get('/api/v1/agency/tenants/health').set(agency).expect(200)).body.tenants.find((t: { tenantId: string }) => t.tenantId === a.id);
    expect(after.failuresToday - before.failuresToday).to.equal(1);
    expect(after.automationFailuresToday - before.automationFailuresToday).to.equal(1);

    // The other tenant sees none of it.
    const other = api.signIn(actingAsPrincipal(world.id, world.owner, world.tenants[1].id));
    const theirs = await request(api.app).get('/api/v1/automation-failures').set(other).expect(200);
    expect(theirs.body.failures.filter((f: { executionId: string }) => f.executionId === executionId)).to.have.length(0);
  });

  it('when a missed call got no follow-up at all for more than 10 minutes, then the call says the automation did not run', async () => {
    const a = world.tenants[0];
    const staff = api.signIn(actingAsPrincipal(world.id, world.owner, a.id));
    const callId = await missedCallFrom(a.id, '+1415555' + String(1000 + Math.floor(Math.random() * 8999)));
    await db.query(`UPDATE call_logs SET ended_at = now() - interval '11 minutes' WHERE id = :callId`, { replacements: { callId } });
    const calls = (await request(api.app).get('/api/v1/calls').set(staff).expect(200)).body.calls as CallRow[];
    expect(calls.find((c) => c.id === callId)!.followUp.state).to.equal('not_run');
  });
});
