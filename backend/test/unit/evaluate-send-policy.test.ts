import { expect } from 'chai';
import { evaluateSendPolicy, frequencyCapUntil } from '../../src/modules/policy/evaluate-send-policy.js';
import { whatsappSessionWindow } from '../../src/modules/policy/whatsapp-window.js';
import { instantAt, localDateTime } from '../../src/modules/policy/local-time.js';
import { canMoveStatus } from '../../src/modules/messages/message-status.js';
import type { MessageStatus } from '../../src/modules/messages/message-types.js';
import type { ChannelPolicy, SendPolicyInput } from '../../src/modules/policy/policy-types.js';

const NY = 'America/New_York';
const at = (iso: string) => new Date(iso);

/** Test-data mother: an opted-in contact in New York, a 08:00-21:00 window, a cap of 3 per 24 h. */
type Overrides = Partial<Omit<SendPolicyInput, 'contact' | 'rules'>> & { contact?: Partial<SendPolicyInput['contact']>; rules?: Partial<SendPolicyInput['rules']> };
function input(overrides: Overrides = {}): SendPolicyInput {
  const { contact, rules, ...rest } = overrides;
  return {
    now: at('2026-06-10T16:00:00Z'), // 12:00 in New York
    channel: 'sms',
    purpose: 'message',
    tenantStatus: 'active',
    recentSends: [],
    ...rest,
    rules: { optInRequired: true, sendingWindow: { start: '08:00', end: '21:00' }, frequencyCap: { count: 3, hours: 24 }, replyWindowHours: 24, ...rules },
    contact: { consent: 'opted_in', timeZone: NY, lastInboundAt: null, ...contact },
  };
}

type Row = { when: string; given: SendPolicyInput; decision: 'allow' | 'defer' | 'deny'; code: string; until?: string };

const whatsappSessionClosed: ChannelPolicy = (i) =>
  i.channel === 'whatsapp' && !i.template ? { decision: 'deny', reason: { code: 'WHATSAPP_SESSION_CLOSED', message: 'template needed' } } : undefined;
const holdForHandoff: ChannelPolicy = () => ({ decision: 'defer', reason: { code: 'AGENT_HANDOFF', message: 'a person is replying' }, until: at('2026-06-10T17:00:00Z') });

const ROWS: Row[] = [
  { when: 'an opted-in contact at noon local', given: input(), decision: 'allow', code: 'ALLOWED' },
  { when: 'the tenant is suspended', given: input({ tenantStatus: 'suspended' }), decision: 'deny', code: 'TENANT_SUSPENDED' },
  { when: 'the tenant is suspended, even for a STOP confirmation', given: input({ tenantStatus: 'suspended', purpose: 'opt_out_confirmation' }), decision: 'deny', code: 'TENANT_SUSPENDED' },
  { when: 'the contact opted out', given: input({ contact: { consent: 'opted_out' } }), decision: 'deny', code: 'OPTED_OUT' },
  { when: 'the contact opted out, even when replying to them', given: input({ contact: { consent: 'opted_out', lastInboundAt: at('2026-06-10T15:00:00Z') } }), decision: 'deny', code: 'OPTED_OUT' },
  { when: 'the contact opted out and this is the opt-out confirmation', given: input({ contact: { consent: 'opted_out' }, purpose: 'opt_out_confirmation' }), decision: 'allow', code: 'ALLOWED_TRANSACTIONAL' },
  { when: 'the contact opted out and asked for HELP', given: input({ contact: { consent: 'opted_out' }, purpose: 'help_reply' }), decision: 'allow', code: 'ALLOWED_TRANSACTIONAL' },
  { when: 'opt-in is required and missing', given: input({ contact: { consent: 'unknown' } }), decision: 'deny', code: 'CONSENT_REQUIRED' },
  { when: 'opt-in is not required and missing', given: input({ contact: { consent: 'unknown' }, rules: { optInRequired: false } }), decision: 'allow', code: 'ALLOWED' },
  { when: 'opt-in is missing but the contact wrote 2 h ago (a reply)', given: input({ contact: { consent: 'unknown', lastInboundAt: at('2026-06-10T14:00:00Z') } }), decision: 'allow', code: 'ALLOWED_TRANSACTIONAL' },
  { when: 'opt-in is missing and the contact wrote 2 days ago', given: input({ contact: { consent: 'unknown', lastInboundAt: at('2026-06-08T14:00:00Z') } }), decision: 'deny', code: 'CONSENT_REQUIRED' },
  // Sending window, recipient-local (New York is UTC-4 in June)
  { when: '20:59 recipient-local', given: input({ now: at('2026-06-11T00:59:00Z') }), decision: 'allow', code: 'ALLOWED' },
  { when: '21:00 recipient-local (end is exclusive)', given: input({ now: at('2026-06-11T01:00:00Z') }), decision: 'defer', code: 'OUTSIDE_SENDING_WINDOW', until: '2026-06-11T12:00:00.000Z' },
  { when: '21:01 recipient-local', given: input({ now: at('2026-06-11T01:01:00Z') }), decision: 'defer', code: 'OUTSIDE_SENDING_WINDOW', until: '2026-06-11T12:00:00.000Z' },
  { when: '07:59 recipient-local: same morning', given: input({ now: at('2026-06-10T11:59:00Z') }), decision: 'defer', code: 'OUTSIDE_SENDING_WINDOW', until: '2026-06-10T12:00:00.000Z' },
  { when: '08:00 recipient-local', given: input({ now: at('2026-06-10T12:00:00Z') }), decision: 'allow', code: 'ALLOWED' },
  { when: 'noon UTC is 21:00 in Tokyo: the RECIPIENT zone counts, not UTC', given: input({ now: at('2026-06-10T12:00:00Z'), contact: { timeZone: 'Asia/Tokyo' } }), decision: 'defer', code: 'OUTSIDE_SENDING_WINDOW', until: '2026-06-10T23:00:00.000Z' },
  { when: 'a reply at 23:30 local', given: input({ now: at('2026-06-11T03:30:00Z'), contact: { lastInboundAt: at('2026-06-11T03:20:00Z') } }), decision: 'allow', code: 'ALLOWED_TRANSACTIONAL' },
  { when: 'a STOP confirmation at 23:30 local', given: input({ now: at('2026-06-11T03:30:00Z'), purpose: 'opt_out_confirmation', contact: { consent: 'opted_out' } }), decision: 'allow', code: 'ALLOWED_TRANSACTIONAL' },
  { when: 'a window wrapping midnight (22:00-06:00) at 23:00 local', given: input({ now: at('2026-06-11T03:00:00Z'), rules: { sendingWindow: { start: '22:00', end: '06:00' } } }), decision: 'allow', code: 'ALLOWED' },
  // DST: New York springs forward on 2026-03-08 (02:00 -> 03:00) and falls back on 2026-11-01 (02:00 -> 01:00)
  { when: 'Saturday 22:00 EST before spring-forward: opens 08:00 EDT Sunday', given: input({ now: at('2026-03-08T03:00:00Z') }), decision: 'defer', code: 'OUTSIDE_SENDING_WINDOW', until: '2026-03-08T12:00:00.000Z' },
  { when: 'spring-forward Sunday 07:59 EDT', given: input({ now: at('2026-03-08T11:59:00Z') }), decision: 'defer', code: 'OUTSIDE_SENDING_WINDOW', until: '2026-03-08T12:00:00.000Z' },
  { when: 'spring-forward Sunday 20:59 EDT', given: input({ now: at('2026-03-09T00:59:00Z') }), decision: 'allow', code: 'ALLOWED' },
  { when: 'Saturday 22:00 EDT before fall-back: opens 08:00 EST Sunday', given: input({ now: at('2026-11-01T02:00:00Z') }), decision: 'defer', code: 'OUTSIDE_SENDING_WINDOW', until: '2026-11-01T13:00:00.000Z' },
  { when: 'fall-back night, 01:30 the second time (EST)', given: input({ now: at('2026-11-01T06:30:00Z') }), decision: 'defer', code: 'OUTSIDE_SENDING_WINDOW', until: '2026-11-01T13:00:00.000Z' },
  { when: 'fall-back Sunday 20:59 EST', given: input({ now: at('2026-11-02T01:59:00Z') }), decision: 'allow', code: 'ALLOWED' },
  { when: 'fall-back Sunday 21:01 EST: opens Monday 08:00 EST', given: input({ now: at('2026-11-02T02:01:00Z') }), decision: 'defer', code: 'OUTSIDE_SENDING_WINDOW', until: '2026-11-02T13:00:00.000Z' },
  { when: 'a window opening at 02:30 on spring-forward night (02:30 does not exist): opens when the clocks jump to 03:00 EDT', given: input({ now: at('2026-03-08T06:00:00Z'), rules: { sendingWindow: { start: '02:30', end: '21:00' } } }), decision: 'defer', code: 'OUTSIDE_SENDING_WINDOW', until: '2026-03-08T07:00:00.000Z' },
  // Frequency cap: 3 per rolling 24 h; defer until the oldest counted send ages out
  { when: '2 sends in the last 24 h (cap 3)', given: input({ recentSends: [at('2026-06-10T10:00:00Z'), at('2026-06-10T12:00:00Z')] }), decision: 'allow', code: 'ALLOWED' },
  { when: '3 sends in the last 24 h (cap 3)', given: input({ recentSends: [at('2026-06-10T13:00:00Z'), at('2026-06-09T18:00:00Z'), at('2026-06-10T12:00:00Z')] }), decision: 'defer', code: 'FREQUENCY_CAP', until: '2026-06-10T18:00:00.000Z' },
  { when: '3 sends but one 25 h old', given: input({ recentSends: [at('2026-06-09T15:00:00Z'), at('2026-06-10T12:00:00Z'), at('2026-06-10T13:00:00Z')] }), decision: 'allow', code: 'ALLOWED' },
  { when: 'capped until 23:00 local: waits for the next window opening too', given: input({ recentSends: [at('2026-06-10T03:00:00Z'), at('2026-06-10T14:00:00Z'), at('2026-06-10T15:00:00Z')], now: at('2026-06-10T16:00:00Z') }), decision: 'defer', code: 'FREQUENCY_CAP', until: '2026-06-11T12:00:00.000Z' },
  { when: 'no cap configured', given: input({ rules: { frequencyCap: null }, recentSends: Array.from({ length: 50 }, () => at('2026-06-10T15:00:00Z')) }), decision: 'allow', code: 'ALLOWED' },
  { when: 'over the cap but a reply', given: input({ contact: { lastInboundAt: at('2026-06-10T15:59:00Z') }, recentSends: [at('2026-06-10T13:00:00Z'), at('2026-06-10T14:00:00Z'), at('2026-06-10T15:00:00Z')] }), decision: 'allow', code: 'ALLOWED_TRANSACTIONAL' },
  // Channel rules
  { when: 'a channel rule denies (WhatsApp free text outside a session)', given: input({ channel: 'whatsapp', channelRules: [whatsappSessionClosed] }), decision: 'deny', code: 'WHATSAPP_SESSION_CLOSED' },
  { when: 'a channel rule does not apply', given: input({ channel: 'whatsapp', template: 'appointment_reminder', channelRules: [whatsappSessionClosed] }), decision: 'allow', code: 'ALLOWED' },
  { when: 'a later rule defers (agent handoff)', given: input({ channelRules: [whatsappSessionClosed, holdForHandoff] }), decision: 'defer', code: 'AGENT_HANDOFF', until: '2026-06-10T17:00:00.000Z' },
  { when: 'opted out beats channel rules', given: input({ contact: { consent: 'opted_out' }, channelRules: [holdForHandoff] }), decision: 'deny', code: 'OPTED_OUT' },
];

describe('evaluateSendPolicy', () => {
  for (const row of ROWS) {
    it(`when ${row.when}, then ${row.decision} (${row.code})`, () => {
      const outcome = evaluateSendPolicy(row.given);
      expect(outcome.decision).to.equal(row.decision);
      expect(outcome.reason.code).to.equal(row.code);
      expect(outcome.reason.message.length).to.be.greaterThan(0);
      expect(outcome.until?.toISOString()).to.equal(row.until);
    });
  }

  it('when a message is deferred, then re-evaluating at `until` allows it, and a minute earlier does not (defer-until is exact)', () => {
    for (const row of ROWS.filter((r) => r.decision === 'defer' && !r.given.channelRules)) {
      const until = evaluateSendPolicy(row.given).until!;
      expect(evaluateSendPolicy({ ...row.given, now: until }).decision, `${row.when} at until`).to.equal('allow');
      const before = new Date(until.getTime() - 60_000);
      if (before > row.given.now) expect(evaluateSendPolicy({ ...row.given, now: before }).decision, `${row.when} before until`).to.equal('defer');
    }
  });

  it('when every minute of a DST week in New York is evaluated, then a deferral always lands at 08:00 local and nothing is ever dropped', () => {
    for (const start of ['2026-03-06T00:00:00Z', '2026-10-30T00:00:00Z']) {
      for (let minute = 0; minute < 4 * 24 * 60; minute += 7) {
        const now = new Date(Date.parse(start) + minute * 60_000);
        const outcome = evaluateSendPolicy(input({ now }));
        expect(outcome.decision).to.not.equal('deny');
        if (outcome.decision === 'defer') {
          const local = localDateTime(outcome.until!, NY);
          expect([local.hour, local.minute], now.toISOString()).to.deep.equal([8, 0]);
          expect(outcome.until!.getTime() - now.getTime()).to.be.within(1, 12 * 3_600_000); // 21:00 -> 08:00 is 12 h on fall-back night
        }
      }
    }
  });

  it('when local wall times are converted across DST, then gaps move forward and overlaps take the first occurrence', () => {
    expect(instantAt({ year: 2026, month: 3, day: 8, hour: 2, minute: 30 }, NY).toISOString()).to.equal('2026-03-08T07:00:00.000Z');
    expect(instantAt({ year: 2026, month: 11, day: 1, hour: 1, minute: 30 }, NY).toISOString()).to.equal('2026-11-01T05:30:00.000Z');
    expect(instantAt({ year: 2026, month: 3, day: 29, hour: 8, minute: 0 }, 'Europe/Berlin').toISOString()).to.equal('2026-03-29T06:00:00.000Z');
    expect(instantAt({ year: 2026, month: 12, day: 31, hour: 23, minute: 59 }, 'Pacific/Auckland').toISOString()).to.equal('2026-12-31T10:59:00.000Z');
  });

  it('when the cap has more sends than allowed, then it waits for enough of them to age out', () => {
    const sends = ['2026-06-10T01:00:00Z', '2026-06-10T02:00:00Z', '2026-06-10T03:00:00Z', '2026-06-10T04:00:00Z'].map(at);
    const until = frequencyCapUntil({ now: at('2026-06-10T16:00:00Z'), rules: input().rules, recentSends: sends });
    expect(until?.toISOString()).to.equal('2026-06-11T02:00:00.000Z');
  });
});

describe('canMoveStatus', () => {
  const cases: [MessageStatus, MessageStatus, boolean][] = [
    ['queued', 'sent', true], ['sent', 'delivered', true], ['delivered', 'read', true], ['deferred', 'queued', true],
    ['delivered', 'sent', false], ['read', 'delivered', false], ['sent', 'failed', true], ['delivered', 'undelivered', false],
    ['failed', 'delivered', false], ['dead', 'delivered', true], ['denied', 'queued', false], ['received', 'read', false], ['sent', 'sent', false],
  ];
  for (const [from, to, allowed] of cases) {
    it(`when a message is ${from} and ${to} is reported, then it ${allowed ? 'moves' : 'stays'}`, () => {
      expect(canMoveStatus(from, to)).to.equal(allowed);
    });
  }
});

describe("WhatsApp's 24-hour customer-service window (channel rule)", () => {
  const base = {
    channel: 'whatsapp' as const, purpose: 'message' as const, tenantStatus: 'active' as const,
    rules: { optInRequired: false, sendingWindow: { start: '00:00', end: '23:59' }, frequencyCap: null, replyWindowHours: 24 },
    recentSends: [], channelRules: [whatsappSessionWindow],
  };
  const now = new Date('2026-06-10T15:00:00Z');
  const ago = (minutes: number) => new Date(now.getTime() - minutes * 60_000);
  const cases: { name: string; lastInboundAt: Date | null; template?: string; decision: string; code?: string }[] = [
    { name: 'text at 23h59m after the last inbound', lastInboundAt: ago(23 * 60 + 59), decision: 'allow' },
    { name: 'text at 24h01m after the last inbound', lastInboundAt: ago(24 * 60 + 1), decision: 'deny', code: 'WHATSAPP_SESSION_CLOSED' },
    { name: 'text to a contact who never wrote on WhatsApp', lastInboundAt: null, decision: 'deny', code: 'WHATSAPP_SESSION_CLOSED' },
    { name: 'a template at 24h01m', lastInboundAt: ago(24 * 60 + 1), template: 'missed_call', decision: 'allow' },
    { name: 'a template to a contact who never wrote', lastInboundAt: null, template: 'missed_call', decision: 'allow' },
  ];
  for (const c of cases) {
    it(`when it is ${c.name}, then ${c.decision}${c.code ? ` (${c.code})` : ''}`, () => {
      const result = evaluateSendPolicy({
        ...base, now, ...(c.template && { template: c.template }),
        contact: { consent: 'unknown', timeZone: 'UTC', lastInboundAt: c.lastInboundAt },
      });
      expect(result.decision).to.equal(c.decision);
      if (c.code) expect(result.reason.code).to.equal(c.code);
    });
  }
  it('when the channel is SMS, then the rule does not apply', () => {
    expect(whatsappSessionWindow({ ...base, channel: 'sms', now, contact: { consent: 'unknown', timeZone: 'UTC', lastInboundAt: null } })).to.equal(undefined);
  });
});

describe('the reply window: an inbound call or message lets the business reply without a marketing opt-in', () => {
  const CALL_ID = '4c1d2e3f-0000-4000-8000-00000000ca11';
  const MESSAGE_ID = '4c1d2e3f-0000-4000-8000-0000000005e5';
  // A call at 10:00 New York time (14:00 UTC); SMS and WhatsApp need an opt-in; the contact never gave one.
  const callAt = at('2026-06-10T14:00:00Z');
  const call = { kind: 'call' as const, id: CALL_ID, at: callAt };
  const message = { kind: 'message' as const, id: MESSAGE_ID, at: callAt };
  const minutesAfter = (minutes: number) => new Date(callAt.getTime() + minutes * 60_000);
  type Case = { when: string; given: SendPolicyInput; decision: 'allow' | 'deny'; code: string; evidence?: string };
  const cases: Case[] = [
    { when: 'the contact called at 10:00 and the text-back goes at 10:01', given: input({ now: minutesAfter(1), contact: { consent: 'unknown', lastInbound: call } }), decision: 'allow', code: 'ALLOWED_TRANSACTIONAL', evidence: CALL_ID },
    { when: 'the same reply goes on WhatsApp (same number)', given: input({ channel: 'whatsapp', now: minutesAfter(1), contact: { consent: 'unknown', lastInbound: call } }), decision: 'allow', code: 'ALLOWED_TRANSACTIONAL', evidence: CALL_ID },
    { when: 'the reply goes 23 h 59 min after the call', given: input({ now: minutesAfter(24 * 60 - 1), contact: { consent: 'unknown', lastInbound: call } }), decision: 'allow', code: 'ALLOWED_TRANSACTIONAL', evidence: CALL_ID },
    { when: 'the reply goes 24 h after the call plus a minute, without an opt-in', given: input({ now: minutesAfter(24 * 60 + 1), contact: { consent: 'unknown', lastInbound: call } }), decision: 'deny', code: 'CONSENT_REQUIRED' },
    { when: 'the contact opted out inside the window', given: input({ now: minutesAfter(1), contact: { consent: 'opted_out', lastInbound: call } }), decision: 'deny', code: 'OPTED_OUT' },
    { when: 'the tenant set the window to 2 h and the reply goes 3 h after the call', given: input({ now: minutesAfter(180), rules: { replyWindowHours: 2 }, contact: { consent: 'unknown', lastInbound: call } }), decision: 'deny', code: 'CONSENT_REQUIRED' },
    { when: 'the tenant switched the reply window off (0 h)', given: input({ now: minutesAfter(1), rules: { replyWindowHours: 0 }, contact: { consent: 'unknown', lastInbound: call } }), decision: 'deny', code: 'CONSENT_REQUIRED' },
    { when: 'the contact texted at 10:00 and the reply goes at 10:01', given: input({ now: minutesAfter(1), contact: { consent: 'unknown', lastInbound: message } }), decision: 'allow', code: 'ALLOWED_TRANSACTIONAL', evidence: MESSAGE_ID },
    { when: 'the contact texted and a reply goes 24 h later plus a minute', given: input({ now: minutesAfter(24 * 60 + 1), contact: { consent: 'unknown', lastInbound: message } }), decision: 'deny', code: 'CONSENT_REQUIRED' },
    { when: 'the contact texted and opted out', given: input({ now: minutesAfter(1), contact: { consent: 'opted_out', lastInbound: message } }), decision: 'deny', code: 'OPTED_OUT' },
    { when: 'the call is in the future of `now` (clock skew)', given: input({ now: minutesAfter(-1), contact: { consent: 'unknown', lastInbound: call } }), decision: 'deny', code: 'CONSENT_REQUIRED' },
  ];
  for (const c of cases) {
    it(`when ${c.when}, then ${c.decision} (${c.code})`, () => {
      const outcome = evaluateSendPolicy(c.given);
      expect(outcome.decision).to.equal(c.decision);
      expect(outcome.reason.code).to.equal(c.code);
      if (c.evidence) {
        // The evidence is recorded with the decision: which inbound event allowed the reply.
        expect(outcome.evidence).to.deep.equal(c.given.contact.lastInbound);
        expect(outcome.reason.message).to.contain(c.evidence);
        expect(outcome.reason.message).to.contain(c.given.contact.lastInbound!.kind === 'call' ? 'call' : 'message');
      } else {
        expect(outcome.evidence).to.equal(undefined);
      }
    });
  }

  it('when the reply is allowed at 23:30 local after a late call, then the sending window does not hold it back', () => {
    const lateCall = { kind: 'call' as const, id: CALL_ID, at: at('2026-06-11T03:20:00Z') };
    const outcome = evaluateSendPolicy(input({ now: at('2026-06-11T03:30:00Z'), contact: { consent: 'unknown', lastInbound: lateCall } }));
    expect(outcome).to.deep.include({ decision: 'allow', evidence: lateCall });
  });
});
