import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import PlanAgentsCard from './PlanAgentsCard.svelte';
import type { Agent } from './+page.server.js';

const agent = (id: string, name: string, enabled: boolean): Agent => ({
  id, name, purpose: '', channels: ['sms'], enabled, webKey: `wk_${id}`, activeVersion: 1, lastError: null, lastErrorAt: null,
});
const agents = [agent('a1', 'Reception', true), agent('a2', 'Bookings', true), agent('a3', 'Night shift', false)];

describe('the Agents page after a downgrade', () => {
  it('when the plan includes 2 agents and 3 exist, then it says 1 is paused because of the plan and offers to swap the paused one in', () => {
    const { body } = render(PlanAgentsCard, { props: { plan: { limit: 2, active: 2, pausedByPlan: 1, atLimit: true }, agents, form: null } });
    expect(body).toContain('Your plan includes 2 agents; 1 is paused because of the plan. Choose which stay active.');
    expect(body).toContain('Swap in Night shift');
    expect(body.match(/action="\?\/swapAgents"/g)).toHaveLength(1);
    expect(body.match(/>Pause</g)).toHaveLength(2);
    expect(body).toContain('nothing is deleted');
  });

  it('when switching on was refused at the limit, then the API’s sentence shows with the upgrade link, not an error', () => {
    const planRefusal = { code: 'PLAN_LIMIT' as const, message: 'Your plan includes 2 AI agents and you have 2 switched on. Upgrade your plan to add another, or switch one off first.', limit: 2, current: 2, upgradeUrl: '/billing' };
    const { body } = render(PlanAgentsCard, { props: { plan: { limit: 2, active: 2, pausedByPlan: 1, atLimit: true }, agents, form: { errors: { form: 'x' }, planRefusal } } });
    expect(body).toContain('you have 2 switched on');
    expect(body).toContain('Upgrade plan');
    expect(body).not.toContain('alert-error');
  });
});
