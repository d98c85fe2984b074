import { expect } from 'chai';
import type { Browser } from '../../backend/test/support/browser.js';
import { e2eFakes } from './support/e2e-stack.js';
import { eventually, sleep } from './support/eventually.js';
import { SHORT_WAITS } from './support/short-workflows.js';
import { arrangeTenant, freshNumber, signedInAgencyOwner, type E2eTenant } from './support/tenant-world.js';

type Outcome = { callId: string; channel: string; outcome: string; status: string | null; messageId: string | null; reason: string | null };
type StoredMessage = {
  id: string; channel: string; direction: string; status: string; error: { code: string | null } | null;
  policy: { decision: string; reason: { code: string; message: string }; evidence?: { kind: string; id: string } | null } | null;
};
type CallView = {
  id: string; from: string; followUps: { channel: string; status: string }[];
  followUp: { state: string; failure: { errorMessage: string; node: string | null; workflowName: string | null } | null };
};


/** The after-call workflow, running in the real n8n (queue mode) against the real backend and worker. */
describe('after-call follow-up (real n8n, our nodes, shipped workflow; Twilio and WhatsApp faked)', function () {
  this.timeout(120_000);

  const missedCall = async (tenant: E2eTenant, caller: string, callSid?: string) => {
    const webhook = tenant.twilio.callStatusWebhook({ from: caller, to: tenant.twilioNumber, status: 'no-answer', direction: 'inbound', ...(callSid && { callSid }) });
    const res = await tenant.twilio.post(webhook);
    expect(res.status, res.body).to.equal(200);
    return webhook;
  };
  const contactOf = (admin: Browser, phone: string) =>
    eventually(`the contact ${phone}`, async () => {
      const res = await admin.send('get', '/api/v1/contacts/by-phone', { query: { phone } });
      return res.status === 200 ? (res.body as { id: string }) : undefined;
    });
  const outcomeOf = (admin: Browser, contactId: string) =>
    eventually('the follow_up.outcome activity', async () => {
      const res = await admin.send('get', `/api/v1/contacts/${contactId}/activities`, { query: { type: 'follow_up.outcome' } });
      const [activity] = (res.body as { activities: { data: Outcome }[] }).activities ?? [];
      return activity?.data;
    });
  const messagesOf = async (admin: Browser, contactId: string): Promise<StoredMessage[]> => {
    const { conversations } = (await admin.send('get', '/api/v1/conversations', { query: { contactId } })).body as { conversations: { id: string }[] };
    const lists = await Promise.all(conversations.map(async (c) => ((await admin.get(`/api/v1/conversations/${c.id}/messages`)).body as { messages: StoredMessage[] }).messages));
    return lists.flat();
  };
  const smsTo = (phone: string) => e2eFakes().twilio.countSends({ to: phone });
  const whatsappTo = (phone: string) => e2eFakes().whatsapp.sendsTo(phone);

  it("when the caller has no WhatsApp account, then the tenant's template fails (131026) and exactly one SMS with its wording follows; the log shows both", async () => {
    const tenant = await arrangeTenant();
    // The tenant's own wording (portal → Channels → Automation messages), read by the workflow's Message texts node.
    const wording = await tenant.admin.send('put', '/api/v1/automation-templates/missed_call', {
      body: { text: 'Acme Dental: sorry we missed you! Reply here and we will call back.', whatsappTemplate: 'acme_missed_call' },
    });
    expect(wording.status, JSON.stringify(wording.body)).to.equal(200);
    const caller = freshNumber();
    e2eFakes().whatsapp.withoutWhatsApp.add(caller.slice(1));
    await missedCall(tenant, caller);
    const contact = await contactOf(tenant.admin, caller);
    const outcome = await outcomeOf(tenant.admin, contact.id);
    expect(outcome).to.include({ channel: 'sms', outcome: 'sent' });
    await sleep(2_000);
    expect(whatsappTo(caller).map((send) => send.template)).to.deep.equal(['acme_missed_call']);
    expect(smsTo(caller)).to.equal(1);
    expect(e2eFakes().twilio.countSends({ to: caller, body: 'Acme Dental: sorry we missed you! Reply here and we will call back.' })).to.equal(1);
    // The SMS may go before Meta's failed status for the template arrives (the workflow falls back on any outcome
    // but delivered/read or an opt-out): wait for that status rather than a fixed time.
    const messages = await eventually('the WhatsApp template marked failed (131026)', async () => {
      const all = await messagesOf(tenant.admin, contact.id);
      return all.some((m) => m.channel === 'whatsapp' && m.status === 'failed') ? all : undefined;
    }, 30_000);
    const whatsapp = messages.filter((m) => m.channel === 'whatsapp');
    const sms = messages.filter((m) => m.channel === 'sms');
    expect(whatsapp.map((m) => [m.status, m.error?.code])).to.deep.equal([['failed', '131026']]);
    expect(sms).to.have.length(1);
    expect(['sent', 'delivered']).to.include(sms[0]!.status);
  });

  it('when WhatsApp delivers, then no SMS is sent; the same webhook replayed sends nothing more', async () => {
    const tenant = await arrangeTenant();
    const caller = freshNumber();
    const webhook = await missedCall(tenant, caller);
    const contact = await contactOf(tenant.admin, caller);
    const outcome = await outcomeOf(tenant.admin, contact.id);
    expect(outcome).to.include({ channel: 'whatsapp', status: 'delivered' });
    // Twilio retries its status callback: the same call, delivered twice more.
    for (let i = 0; i < 2; i += 1) expect((await tenant.twilio.post(webhook)).status).to.equal(200);
    await sleep(SHORT_WAITS.statusWaitMinutes * 1000 + 4_000);
    expect(whatsappTo(caller)).to.have.length(1);
    expect(smsTo(caller)).to.equal(0);
    const activities = (await tenant.admin.send('get', `/api/v1/contacts/${contact.id}/activities`, { query: { type: 'follow_up.outcome' } })).body as { activities: unknown[] };
    expect(activities.activities).to.have.length(1);
  });

  it('when the caller opted out, then nothing is sent and the denial reason is recorded', async () => {
    const tenant = await arrangeTenant();
    const caller = freshNumber();
    const created = (await tenant.admin.post('/api/v1/contacts', { phone: caller, name: 'Opted out caller' })).body as { id: string };
    for (const channel of ['whatsapp', 'sms']) {
      const res = await tenant.admin.post(`/api/v1/contacts/${created.id}/consent`, { channel, kind: 'opt_out', source: 'form', wording: 'Do not contact me', evidence: { formId: 'prefs' } });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
    }
    await missedCall(tenant, caller);
    const outcome = await outcomeOf(tenant.admin, created.id);
    expect(outcome).to.include({ channel: 'whatsapp', outcome: 'denied', reason: 'OPTED_OUT' });
    await sleep(1_000);
    expect(whatsappTo(caller)).to.have.length(0);
    expect(smsTo(caller)).to.equal(0);
    const messages = await messagesOf(tenant.admin, created.id);
    expect(messages.map((m) => [m.channel, m.status, m.policy?.reason.code])).to.deep.equal([['whatsapp', 'denied', 'OPTED_OUT']]);
  });

  it("when it is outside the sending window in the caller's time zone, then the text-back still goes at once: it is a reply to the call", async () => {
    const chicagoHour = Number(new Intl.DateTimeFormat('en-US', { timeZone: 'America/Chicago', hour: 'numeric', hourCycle: 'h23' }).format(new Date()));
    const hh = (h: number) => `${String((h + 24) % 24).padStart(2, '0')}:00`;
    const tenant = await arrangeTenant({ sendingWindow: { start: hh(chicagoHour + 6), end: hh(chicagoHour + 8) } });
    const caller = freshNumber(); // +1312: Chicago
    await missedCall(tenant, caller);
    const contact = await contactOf(tenant.admin, caller);
    const outcome = await outcomeOf(tenant.admin, contact.id);
    expect(outcome).to.include({ channel: 'whatsapp', status: 'delivered' });
    const [whatsapp] = await messagesOf(tenant.admin, contact.id);
    expect(whatsapp!.policy).to.deep.include({ decision: 'allow' });
    expect(whatsapp!.policy!.evidence).to.include({ kind: 'call' });
    expect(smsTo(caller)).to.equal(0);
  });

  it('when a business on the defaults (opt-in required, no WhatsApp connected) misses a call, then the SMS text-back goes on the call\'s evidence and is delivered; WhatsApp is not tried', async () => {
    const tenant = await arrangeTenant({ defaults: true });
    const settings = (await tenant.admin.get('/api/v1/messaging-settings')).body as { optInRequired: Record<string, boolean>; replyWindowHours: number };
    expect(settings).to.deep.include({ optInRequired: { sms: true, whatsapp: true, telegram: false, web: false }, replyWindowHours: 24 });
    const caller = freshNumber();
    await missedCall(tenant, caller);
    const contact = await contactOf(tenant.admin, caller);
    const outcome = await outcomeOf(tenant.admin, contact.id);
    expect(outcome).to.include({ channel: 'sms', outcome: 'sent' });
    const sms = await eventually('the SMS text-back delivered', async () => {
      const [message] = await messagesOf(tenant.admin, contact.id);
      return message?.status === 'delivered' ? message : undefined;
    });
    expect(sms.channel).to.equal('sms');
    expect(sms.policy).to.deep.include({ decision: 'allow' });
    expect(sms.policy!.reason.code).to.equal('ALLOWED_TRANSACTIONAL');
    const calls = (await tenant.admin.get('/api/v1/calls')).body as { calls: CallView[] };
    const call = calls.calls.find((c) => c.from === caller)!;
    expect(sms.policy!.evidence).to.include({ kind: 'call', id: call.id });
    expect(call.followUp.state).to.equal('sent');
    expect(call.followUps.map((f) => [f.channel, f.status])).to.deep.equal([['sms', 'delivered']]);
    expect(smsTo(caller)).to.equal(1);
    expect(whatsappTo(caller)).to.have.length(0);
  });

  it("when the workflow fails (an unreadable caller number), then n8n's error is on the call as an automation failure and in the agency's failures today", async () => {
    const tenant = await arrangeTenant({ defaults: true });
    await missedCall(tenant, 'anonymous');
    const call = await eventually('the failure on the call', async () => {
      const { calls } = (await tenant.admin.get('/api/v1/calls')).body as { calls: CallView[] };
      const found = calls.find((c) => c.from === 'anonymous');
      return found?.followUp.state === 'failed' ? found : undefined;
    });
    expect(call.followUp.failure).to.include({ node: 'Find or create caller', workflowName: 'Switchboard: missed call follow-up' });
    expect(call.followUp.failure!.errorMessage).to.match(/400|phone|not valid/i);
    expect(call.followUps).to.deep.equal([]);

    const staff = await signedInAgencyOwner();
    const { tenants } = (await staff.get('/api/v1/agency/tenants/health')).body as { tenants: { tenantId: string; failuresToday: number; automationFailuresToday: number }[] };
    expect(tenants.find((t) => t.tenantId === tenant.tenantId)).to.include({ failuresToday: 1, automationFailuresToday: 1 });
  });
});
