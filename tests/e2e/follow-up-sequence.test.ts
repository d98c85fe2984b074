import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { Browser } from '../../backend/test/support/browser.js';
import { e2eFakes } from './support/e2e-stack.js';
import { eventually, sleep } from './support/eventually.js';
import { SHORT_WAITS } from './support/short-workflows.js';
import { arrangeTenant, freshNumber, type E2eTenant } from './support/tenant-world.js';

type Sequence = { result: string; beforeMessage?: number };

/** The follow-up sequence workflow in the real n8n, delays shortened to seconds (SHORT_WAITS). */
describe('follow-up sequence (real n8n; Twilio faked; delays in seconds)', function () {
  this.timeout(120_000);

  const optedInContact = async (tenant: E2eTenant) => {
    const phone = freshNumber();
    const contact = (await tenant.admin.post('/api/v1/contacts', { phone, name: 'Lead', timeZone: 'UTC' })).body as { id: string };
    const consent = await tenant.admin.post(`/api/v1/contacts/${contact.id}/consent`, { channel: 'sms', kind: 'opt_in', source: 'form', wording: 'Text me', evidence: { formId: 'lead' } });
    expect(consent.status).to.equal(201);
    return { ...contact, phone };
  };
  const startSequence = async (tenant: E2eTenant, contactId: string) => {
    const res = await tenant.admin.post('/api/v1/messages', { contactId, channel: 'sms', body: 'Thanks for your interest! Want to book a visit?' }, { 'idempotency-key': `seq:${randomUUID()}` });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
  };
  const sequenceOutcome = (admin: Browser, contactId: string) =>
    eventually('the follow_up.sequence activity', async () => {
      const res = await admin.send('get', `/api/v1/contacts/${contactId}/activities`, { query: { type: 'follow_up.sequence' } });
      return ((res.body as { activities: { data: Sequence }[] }).activities ?? [])[0]?.data;
    }, 90_000);
  const smsBodiesTo = (phone: string) => e2eFakes().twilio.messages.filter((m) => m.to === phone).map((m) => m.body);

  it('when the lead replies before the second message is due, then the sequence stops and nothing else is sent', async () => {
    const tenant = await arrangeTenant();
    const contact = await optedInContact(tenant);
    await startSequence(tenant, contact.id);
    await eventually('the first SMS', async () => (smsBodiesTo(contact.phone).length === 1 ? true : undefined), 20_000);
    const reply = await tenant.twilio.post(tenant.twilio.inboundSmsWebhook({ from: contact.phone, to: tenant.twilioNumber, body: 'Yes please, Saturday?' }));
    expect(reply.status).to.equal(200);
    const outcome = await sequenceOutcome(tenant.admin, contact.id);
    expect(outcome).to.include({ result: 'stopped', beforeMessage: 2 });
    await sleep(SHORT_WAITS.secondDelayHours * 1000);
    expect(smsBodiesTo(contact.phone)).to.have.length(1);
  });

  it('when the lead never replies, then the second and the last message go, and the sequence is recorded finished', async () => {
    const tenant = await arrangeTenant();
    const contact = await optedInContact(tenant);
    await startSequence(tenant, contact.id);
    const outcome = await sequenceOutcome(tenant.admin, contact.id);
    expect(outcome.result).to.equal('finished');
    await eventually('three SMS', async () => (smsBodiesTo(contact.phone).length === 3 ? true : undefined), 20_000);
    expect(smsBodiesTo(contact.phone)[2]).to.contain('One last note');
  });
});
