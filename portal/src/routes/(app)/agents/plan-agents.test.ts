import { describe, expect, it } from 'vitest';
import { planAgentsOf, planAgentsSentence } from './plan-agents.js';

const agents = (on: number, off: number) => [...Array(on).fill({ enabled: true }), ...Array(off).fill({ enabled: false })];
const billing = (limit: number | null, status = 'active') => ({ subscription: { status }, entitlements: { agents: limit } });

describe('the plan’s agent count on the Agents page', () => {
  it('when no plan limits agents (none, unlimited, unpaid first Checkout, or billing not readable), then nothing is shown', () => {
    expect(planAgentsOf(null, agents(5, 0))).toBeNull();
    expect(planAgentsOf({ subscription: null, entitlements: null }, agents(5, 0))).toBeNull();
    expect(planAgentsOf(billing(null), agents(5, 0))).toBeNull();
    expect(planAgentsOf(billing(1, 'incomplete'), agents(5, 0))).toBeNull();
  });

  it('when a downgrade left 2 on and 3 off under a 2-agent plan, then 3 are paused because of the plan and the tenant is at its limit', () => {
    const plan = planAgentsOf(billing(2), agents(2, 3))!;
    expect(plan).toEqual({ limit: 2, active: 2, pausedByPlan: 3, atLimit: true });
    expect(planAgentsSentence(plan)).toBe('Your plan includes 2 agents; 3 are paused because of the plan. Choose which stay active.');
  });

  it('when the owner switched one off by choice, then only the agents beyond the plan count as paused by it, and one more may go on', () => {
    const plan = planAgentsOf(billing(1), agents(0, 2))!;
    expect(plan).toEqual({ limit: 1, active: 0, pausedByPlan: 1, atLimit: false });
    expect(planAgentsSentence(plan)).toBe('Your plan includes 1 agent; 1 is paused because of the plan. Choose which stay active.');
  });
});
