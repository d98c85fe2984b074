import type { LlmMessage } from '../../ports/llm.js';
import type { Agent, AgentFacts } from '../agents/agent-types.js';
import type { BookingService } from '../booking/booking-api.js';
import type { HistoryMessage } from './conversation-state.js';
import { describeTime } from './agent-tools.js';
import type { ToolCallRecord } from './turn-types.js';

/** Bounds that keep a prompt's size flat however long the conversation or the facts get. */
export const PROMPT_LIMITS = { factsChars: 6_000, messageChars: 1_000, summaryChars: 2_000, toolResultChars: 1_500 };

export type PromptInput = {
  baseTemplate: string;
  agent: Pick<Agent, 'name' | 'purpose'>;
  facts: AgentFacts;
  instructions: string;
  businessName: string;
  channel: string;
  contact: { name: string | null; leadStage: string };
  timeZone: string;
  now: Date;
  services: BookingService[];
  upcoming: { bookingId: string; serviceId: string; start: Date }[];
  summary: string | null;
  history: HistoryMessage[];
  toolResults: ToolCallRecord[];
  /** A random marker in the system prompt: seeing it in a reply means the prompt is leaking. */
  canary: string;
};

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text);

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => values[key] ?? whole);
}

export function factsBlock(facts: AgentFacts): string {
  const lines = [
    facts.services && `Services: ${facts.services}`,
    facts.prices && `Prices: ${facts.prices}`,
    facts.hours && `Opening hours: ${facts.hours}`,
    facts.address && `Address: ${facts.address}`,
    ...(facts.faq ?? []).map((item) => `Q: ${item.question}\nA: ${item.answer}`),
    facts.extra && facts.extra,
  ].filter(Boolean);
  return clip(lines.join('\n'), PROMPT_LIMITS.factsChars) || '(none given: check with the team for anything specific)';
}

/**
 * The three layers: the agency's base template, the tenant's agent (facts, tone, extra instructions),
 * then runtime context (who, when, what is bookable, what was said before). Customer text goes only into
 * user messages, never into the system prompt, so it is read as content.
 */
export function buildAgentPrompt(input: PromptInput): LlmMessage[] {
  const base = fill(input.baseTemplate, {
    agentName: input.agent.name, businessName: input.businessName, channel: input.channel, purpose: input.agent.purpose || 'help customers and book appointments',
  });
  const style = [input.facts.tone && `Tone: ${input.facts.tone}`, input.facts.language && `Reply in: ${input.facts.language} (or the customer's language)`]
    .filter(Boolean).join('\n');
  const services = input.services.map((s) =>
    `- ${s.name} (serviceId ${s.id}, ${s.durationMinutes} min${s.priceCents !== null ? `, ${(s.priceCents / 100).toFixed(2)} ${s.currency}` : ''})`);
  const upcoming = input.upcoming.map((b) => `- bookingId ${b.bookingId}, serviceId ${b.serviceId}, ${describeTime(b.start, input.timeZone).local}`);
  const tools = input.toolResults.map((r) => `- ${r.name} ${clip(JSON.stringify(r.result), PROMPT_LIMITS.toolResultChars)}`);
  const system = [
    base,
    `[${input.canary}]`,
    `BUSINESS FACTS:\n${factsBlock(input.facts)}`,
    style,
    input.instructions.trim() && `BUSINESS INSTRUCTIONS:\n${clip(input.instructions.trim(), PROMPT_LIMITS.factsChars)}`,
    `NOW: ${describeTime(input.now, input.timeZone).local} (${input.timeZone})`,
    `CUSTOMER: ${input.contact.name ?? 'name unknown'}; lead stage ${input.contact.leadStage}`,
    services.length ? `SERVICES:\n${services.join('\n')}` : 'SERVICES: none bookable online',
    upcoming.length ? `CUSTOMER'S UPCOMING APPOINTMENTS:\n${upcoming.join('\n')}` : '',
    input.summary ? `EARLIER IN THIS CONVERSATION (summary):\n${clip(input.summary, PROMPT_LIMITS.summaryChars)}` : '',
    tools.length ? `RECENT TOOL RESULTS:\n${tools.join('\n')}` : '',
  ].filter(Boolean).join('\n\n');
  return [{ role: 'system', content: system }, ...historyMessages(input.history)];
}

function historyMessages(history: HistoryMessage[]): LlmMessage[] {
  return history.map((m): LlmMessage => {
    const body = clip(m.body, PROMPT_LIMITS.messageChars);
    if (m.direction === 'inbound') return { role: 'user', content: body };
    // Staff and system messages were not the agent's words, but the customer saw them as the business's.
    const speaker = m.source === 'agent' ? '' : m.source === 'user' ? '[team member] ' : '[automatic message] ';
    return { role: 'assistant', content: `${speaker}${body}` };
  });
}
