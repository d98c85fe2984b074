// The plan's agent count next to the tenant's agents, after a downgrade paused some (backend
// plans/enforce-agent-limit.ts pauses the newest over-limit ones; the owner chooses which stay on).

export type PlanAgents = {
  /** Agents the plan includes. */
  limit: number;
  /** Switched on now. */
  active: number;
  /** How many must stay switched off because of the plan: all agents beyond the limit. */
  pausedByPlan: number;
  /** At the limit: switching another on is refused (402) until one is switched off, or swapped. */
  atLimit: boolean;
};

type AgentLike = { enabled: boolean };
type BillingLike = { subscription: { status: string } | null; entitlements: { agents: number | null } | null } | null;

/** null when no plan limits agents (no subscription, an unpaid first Checkout, or unlimited agents). */
export function planAgentsOf(billing: BillingLike, agents: AgentLike[]): PlanAgents | null {
  const limit = billing?.entitlements?.agents;
  if (limit === null || limit === undefined || !billing?.subscription || billing.subscription.status === 'incomplete') return null;
  const active = agents.filter((agent) => agent.enabled).length;
  return { limit, active, pausedByPlan: Math.max(0, agents.length - limit), atLimit: active >= limit };
}

const agentsWord = (count: number) => `${count} ${count === 1 ? 'agent' : 'agents'}`;

/** "Your plan includes 2 agents; 3 are paused because of the plan. Choose which stay active." */
export function planAgentsSentence(plan: PlanAgents): string {
  const paused = plan.pausedByPlan === 1 ? '1 is paused' : `${plan.pausedByPlan} are paused`;
  return `Your plan includes ${agentsWord(plan.limit)}; ${paused} because of the plan. Choose which stay active.`;
}
