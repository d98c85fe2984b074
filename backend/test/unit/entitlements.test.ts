import { expect } from 'chai';
import { decideEntitlement, restriction } from '../../src/modules/entitlements/decide-entitlement.js';
import type { BillingState, EntitlementAction, EntitlementUsage } from '../../src/modules/entitlements/entitlement-types.js';
import { evaluateSendPolicy } from '../../src/modules/policy/evaluate-send-policy.js';
import type { SendPolicyInput } from '../../src/modules/policy/policy-types.js';

const NOW = new Date('2026-06-10T16:00:00Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);

/** Test-data mother: an active manual subscription to a plan of 3 agents, 2 seats, SMS + web chat, audit export. */
function state(overrides: Partial<BillingState> = {}): BillingState {
  return {
    status: 'active', billing: 'manual', pastDueSince: null, graceDays: 7,
    entitlements: {
      agents: 3, seats: 2, channels: ['sms', 'web_chat'], features: ['audit.export'],
      allowances: { sms_segments: 500, voice_minutes: 0, whatsapp_messages: 0, ai_tokens: 0, ai_replies: 0 },
    },
    ...overrides,
  };
}

const STATES: Record<string, BillingState | null> = {
  'no subscription': null,
  'incomplete (first Checkout unfinished)': state({ status: 'incomplete' }),
  active: state(),
  trialing: state({ status: 'trialing' }),
  'comped and active': state({ billing: 'comped' }),
  'past_due in grace (day 3 of 7)': state({ status: 'past_due', pastDueSince: daysAgo(3) }),
  'past_due after grace (day 8 of 7)': state({ status: 'past_due', pastDueSince: daysAgo(8) }),
  unpaid: state({ status: 'unpaid' }),
  canceled: state({ status: 'canceled' }),
  'paused (comped)': state({ status: 'paused', billing: 'comped' }),
};

type Row = { action: EntitlementAction; usage?: EntitlementUsage; label: string };
const ACTIONS: Row[] = [
  { label: 'agent.create below the limit (2 of 3)', action: { kind: 'agent.create' }, usage: { current: 2 } },
  { label: 'agent.create at the limit (3 of 3)', action: { kind: 'agent.create' }, usage: { current: 3 } },
  { label: 'agent.create over the limit (5 of 3, after a downgrade)', action: { kind: 'agent.create' }, usage: { current: 5 } },
  { label: 'seat.add at the limit (2 of 2)', action: { kind: 'seat.add' }, usage: { current: 2 } },
  { label: 'channel.enable sms (in plan)', action: { kind: 'channel.enable', channel: 'sms' } },
  { label: 'channel.enable telegram (missing)', action: { kind: 'channel.enable', channel: 'telegram' } },
  { label: 'feature.use audit.export (in plan)', action: { kind: 'feature.use', feature: 'audit.export' } },
  { label: 'feature.use voice.agent (missing)', action: { kind: 'feature.use', feature: 'voice.agent' } },
  { label: 'ai.turn', action: { kind: 'ai.turn' } },
  { label: 'send (campaign / follow-up)', action: { kind: 'send', transactional: false } },
  { label: 'send (reply / opt-out confirmation)', action: { kind: 'send', transactional: true } },
];

// Expected outcome per action for each kind of state: no limits, limits only, limits + restriction.
const FREE = ['allowed', 'allowed', 'allowed', 'allowed', 'allowed', 'allowed', 'allowed', 'allowed', 'allowed', 'allowed', 'allowed'];
const LIMITED = ['allowed', 'PLAN_LIMIT', 'PLAN_LIMIT', 'PLAN_LIMIT', 'allowed', 'FEATURE_NOT_IN_PLAN', 'allowed', 'FEATURE_NOT_IN_PLAN', 'allowed', 'allowed', 'allowed'];
const RESTRICTED = ['allowed', 'PLAN_LIMIT', 'PLAN_LIMIT', 'PLAN_LIMIT', 'allowed', 'FEATURE_NOT_IN_PLAN', 'allowed', 'FEATURE_NOT_IN_PLAN', 'SUBSCRIPTION_RESTRICTED', 'SUBSCRIPTION_RESTRICTED', 'allowed'];
const EXPECTED: Record<keyof typeof STATES, string[]> = {
  'no subscription': FREE,
  'incomplete (first Checkout unfinished)': FREE,
  active: LIMITED,
  trialing: LIMITED,
  'comped and active': LIMITED,
  'past_due in grace (day 3 of 7)': LIMITED,
  'past_due after grace (day 8 of 7)': RESTRICTED,
  unpaid: RESTRICTED,
  canceled: RESTRICTED,
  'paused (comped)': RESTRICTED,
};

describe('decideEntitlement: every gated action × plan state', () => {
  for (const [name, given] of Object.entries(STATES)) {
    ACTIONS.forEach((row, index) => {
      const expected = EXPECTED[name]![index]!;
      it(`when ${name} and ${row.label}, then ${expected}`, () => {
        const decision = decideEntitlement(given, row.action, NOW, row.usage);
        expect(decision.allowed ? 'allowed' : decision.code).to.equal(expected);
        if (!decision.allowed) expect(decision.message).to.match(/^Your (plan|subscription) .+\.$/);
      });
    });
  }

  it('when at the agent limit, then the refusal carries the limit, the current count and a sentence for the owner', () => {
    expect(decideEntitlement(state(), { kind: 'agent.create' }, NOW, { current: 3 })).to.deep.equal({
      allowed: false, code: 'PLAN_LIMIT', limit: 3, current: 3,
      message: 'Your plan includes 3 AI agents and you have 3 switched on. Upgrade your plan to add another, or switch one off first.',
    });
    const one = decideEntitlement(state({ entitlements: { ...state().entitlements, seats: 1 } }), { kind: 'seat.add' }, NOW, { current: 1 });
    expect(one).to.include({ limit: 1, current: 1 }).and.to.have.property('message').that.matches(/^Your plan includes 1 team seat and 1 is taken/);
  });

  it('when a limit is null, then it is unlimited', () => {
    const unlimited = state({ entitlements: { ...state().entitlements, agents: null, seats: null } });
    expect(decideEntitlement(unlimited, { kind: 'agent.create' }, NOW, { current: 10_000 })).to.deep.equal({ allowed: true });
    expect(decideEntitlement(unlimited, { kind: 'seat.add' }, NOW, { current: 10_000 })).to.deep.equal({ allowed: true });
  });

  it('when past due inside the grace period, then every allowed decision carries graceUntil (since + grace days) for the banner', () => {
    const inGrace = state({ status: 'past_due', pastDueSince: daysAgo(3), graceDays: 7 });
    const decision = decideEntitlement(inGrace, { kind: 'send', transactional: false }, NOW);
    expect(decision).to.deep.equal({ allowed: true, graceUntil: new Date(daysAgo(3).getTime() + 7 * 86_400_000) });
  });

  it('when the grace ends, then restriction starts exactly at past_due_since + grace_days (0 days: at once)', () => {
    const since = daysAgo(7);
    const at = (ms: number) => restriction(state({ status: 'past_due', pastDueSince: since, graceDays: 7 }), new Date(since.getTime() + 7 * 86_400_000 + ms));
    expect(at(-1)).to.include({ restricted: false });
    expect(at(0)).to.deep.equal({ restricted: true });
    expect(restriction(state({ status: 'past_due', pastDueSince: NOW, graceDays: 0 }), NOW)).to.deep.equal({ restricted: true });
  });
});

describe('evaluateSendPolicy: the billing rule asks the same decision', () => {
  const restricted = state({ status: 'past_due', pastDueSince: daysAgo(30) });
  function input(overrides: Partial<SendPolicyInput> = {}): SendPolicyInput {
    return {
      now: NOW, channel: 'sms', purpose: 'message', tenantStatus: 'active', recentSends: [],
      rules: { optInRequired: false, sendingWindow: { start: '00:00', end: '24:00' }, frequencyCap: null, replyWindowHours: 24 },
      contact: { consent: 'opted_in', timeZone: 'UTC', lastInboundAt: null }, ...overrides,
    };
  }

  const ROWS: { when: string; given: SendPolicyInput; decision: string; code: string }[] = [
    { when: 'no subscription, a campaign send', given: input({ billing: null }), decision: 'allow', code: 'ALLOWED' },
    { when: 'active subscription, a campaign send', given: input({ billing: state() }), decision: 'allow', code: 'ALLOWED' },
    { when: 'past due in grace, a follow-up', given: input({ billing: state({ status: 'past_due', pastDueSince: daysAgo(1) }) }), decision: 'allow', code: 'ALLOWED' },
    { when: 'restricted, a campaign or follow-up', given: input({ billing: restricted }), decision: 'deny', code: 'SUBSCRIPTION_RESTRICTED' },
    { when: 'canceled, a follow-up', given: input({ billing: state({ status: 'canceled' }) }), decision: 'deny', code: 'SUBSCRIPTION_RESTRICTED' },
    { when: 'restricted, a reply inside the conversation', given: input({ billing: restricted, contact: { consent: 'opted_in', timeZone: 'UTC', lastInboundAt: daysAgo(0.1) } }), decision: 'allow', code: 'ALLOWED_TRANSACTIONAL' },
    { when: 'restricted, the STOP confirmation to an opted-out contact', given: input({ billing: restricted, purpose: 'opt_out_confirmation', contact: { consent: 'opted_out', timeZone: 'UTC', lastInboundAt: null } }), decision: 'allow', code: 'ALLOWED_TRANSACTIONAL' },
    { when: 'restricted, a HELP reply', given: input({ billing: restricted, purpose: 'help_reply' }), decision: 'allow', code: 'ALLOWED_TRANSACTIONAL' },
    { when: 'restricted and opted out: opted out is said first', given: input({ billing: restricted, contact: { consent: 'opted_out', timeZone: 'UTC', lastInboundAt: null } }), decision: 'deny', code: 'OPTED_OUT' },
  ];
  for (const row of ROWS) {
    it(`when ${row.when}, then ${row.decision} (${row.code})`, () => {
      const outcome = evaluateSendPolicy(row.given);
      expect([outcome.decision, outcome.reason.code]).to.deep.equal([row.decision, row.code]);
    });
  }
});
