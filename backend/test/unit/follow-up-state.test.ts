import { expect } from 'chai';
import type { AutomationFailure, AutomationRun } from '../../src/modules/automation-runs/automation-run-repository.js';
import type { CallLog, FollowUp } from '../../src/modules/calls/call-repository.js';
import { followUpStateOf } from '../../src/modules/calls/follow-up-state.js';

const now = new Date('2026-06-10T10:30:00Z');
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000).toISOString();
const call = (over: Partial<CallLog> = {}): CallLog => ({
  id: 'c1', agencyId: 'a', tenantId: 't', provider: 'twilio', providerCallId: 'CA1', direction: 'inbound', from: '+14155550100', to: '+15005550006',
  status: 'no-answer', durationSeconds: 0, spokenMessage: null, outcome: 'missed', placedBy: null, startedAt: minutesAgo(3), answeredAt: null,
  endedAt: minutesAgo(3), createdAt: minutesAgo(3), updatedAt: minutesAgo(3), isTest: false, ...over,
});
const sms: FollowUp = { callId: 'c1', messageId: 'm1', channel: 'sms', status: 'delivered', at: minutesAgo(2), reason: null, deferredUntil: null, error: null };
const run = { id: 'r1', tenantId: 't', workflowId: 'w', workflowName: null, executionId: '7', eventId: null, callId: 'c1', contactId: null, messageId: null, startedAt: minutesAgo(3) } as AutomationRun;
const failure = { id: 'f1', tenantId: 't', workflowId: 'w', workflowName: 'Switchboard: missed call follow-up', executionId: '7', executionUrl: null, node: 'Find or create caller', errorMessage: 'HTTP 400', callId: 'c1', contactId: null, messageId: null, occurredAt: minutesAgo(2) } as AutomationFailure;
const none = { followUps: [], runs: [], failures: [] };

describe("a call's follow-up state", () => {
  const cases: [string, CallLog, Parameters<typeof followUpStateOf>[1], string][] = [
    ['the automation failed', call(), { ...none, runs: [run], failures: [failure] }, 'failed'],
    ['a message was sent', call(), { ...none, followUps: [sms] }, 'sent'],
    ['the call was answered', call({ outcome: 'completed', status: 'completed' }), none, 'none'],
    ['it was our own outbound call', call({ direction: 'outbound' }), { ...none, runs: [run] }, 'none'],
    ['the call was just missed', call(), none, 'pending'],
    ['the automation started and has not sent yet', call(), { ...none, runs: [run] }, 'running'],
    ['nothing happened for 11 minutes', call({ endedAt: minutesAgo(11) }), none, 'not_run'],
    ['the automation started but sent nothing for 11 minutes', call({ endedAt: minutesAgo(11) }), { ...none, runs: [run] }, 'not_run'],
  ];
  for (const [when, given, records, state] of cases) {
    it(`when ${when}, then ${state}`, () => {
      const result = followUpStateOf(given, records, now);
      expect(result.state).to.equal(state);
      expect(result.failure === null).to.equal(state !== 'failed');
    });
  }
});
