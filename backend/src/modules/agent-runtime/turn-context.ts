import { randomBytes } from 'node:crypto';
import type { Transaction } from 'sequelize';
import type { EventBus } from '../../ports/events.js';
import { selectAgent } from '../agents/agent-repository.js';
import type { Agent, PromptVersion } from '../agents/agent-types.js';
import { DEFAULT_BASE_TEMPLATE, selectBaseTemplate } from '../agents/base-template.js';
import { selectActiveVersion } from '../agents/prompt-version-repository.js';
import { listBookingServices, listContactBookings } from '../booking/booking-api.js';
import { consentFor } from '../consent/consent-state.js';
import { insertActivity } from '../contact-timeline/timeline-repository.js';
import { findContact, type Contact } from '../contacts/contact-repository.js';
import { checkEntitlement } from '../entitlements/check-entitlement.js';
import { findMessage } from '../messages/message-repository.js';
import { findTenant } from '../tenants/tenant-repository.js';
import { buildAgentPrompt } from './build-prompt.js';
import {
  agentRepliesSince, conversationHistory, lastStaffReplyAt, PAUSED_INDEFINITELY, pauseConversation, selectConversationState, type HistoryMessage,
} from './conversation-state.js';
import { recentToolResults } from './turn-repository.js';
import type { AgentTurn } from './turn-types.js';
import type { LlmMessage } from '../../ports/llm.js';

/** The loop breaker counts agent replies over this window (since the last staff reply or release, if later). */
export const LOOP_WINDOW_MS = 60 * 60_000;

export type TurnContext = {
  agent: Agent;
  version: PromptVersion;
  contact: Contact;
  businessName: string;
  timeZone: string;
  provider: string | null;
  history: HistoryMessage[];
  lastAgentReply: string | null;
  summary: string | null;
  summarizedThroughSeq: number | null;
  messages: LlmMessage[];
  canary: string;
};

export type Skip = { skip: string };

/** Whether a person has the conversation: paused explicitly, or a staff reply within the takeover time. */
export async function humanHasConversation(tx: Transaction, turn: AgentTurn, agent: Agent, now: Date): Promise<boolean> {
  const state = await selectConversationState(tx, turn);
  if (state?.pausedUntil && state.pausedUntil > now) return true;
  const staffAt = await lastStaffReplyAt(tx, { tenantId: turn.tenantId, conversationId: turn.conversationId, since: state?.releasedAt ?? null });
  if (!staffAt) return false;
  return agent.settings.takeoverMinutes === 0 || now.getTime() - staffAt.getTime() < agent.settings.takeoverMinutes * 60_000;
}

/**
 * Everything one turn needs, read in one tenant-scoped transaction, or why the agent must stay quiet:
 * disabled, nothing published, opted out, a human has the conversation, the subscription is restricted
 * for non-payment, or the loop breaker tripped (those two also hand the conversation to the team).
 */
export async function loadTurnContext(tx: Transaction, events: EventBus, turn: AgentTurn, now: Date): Promise<TurnContext | Skip> {
  const where = { tenantId: turn.tenantId, agentId: turn.agentId };
  const agent = await selectAgent(tx, where);
  if (!agent?.enabled || !agent.channels.includes(turn.channel)) return { skip: 'agent_disabled' };
  const version = await selectActiveVersion(tx, where);
  if (!version) return { skip: 'no_active_prompt' };
  if ((await consentFor(tx, { tenantId: turn.tenantId, contactId: turn.contactId, channel: turn.channel })) === 'opted_out') return { skip: 'opted_out' };
  if (await humanHasConversation(tx, turn, agent, now)) return { skip: 'human_takeover' };
  const billing = await checkEntitlement(tx, { agencyId: turn.agencyId, tenantId: turn.tenantId }, { kind: 'ai.turn' }, { now });
  if (!billing.allowed) {
    // No AI reply while unpaid: the team answers instead (their replies are transactional and still go out).
    await handOff(tx, events, turn, { reason: 'subscription_restricted', summary: billing.message });
    return { skip: 'subscription_restricted' };
  }

  const state = await selectConversationState(tx, turn);
  const staffAt = await lastStaffReplyAt(tx, { tenantId: turn.tenantId, conversationId: turn.conversationId, since: null });
  const since = new Date(Math.max(now.getTime() - LOOP_WINDOW_MS, staffAt?.getTime() ?? 0, state?.releasedAt?.getTime() ?? 0));
  const replies = await agentRepliesSince(tx, { tenantId: turn.tenantId, conversationId: turn.conversationId, since });
  if (replies.count >= agent.settings.maxRepliesWithoutHuman) {
    await handOff(tx, events, turn, { reason: 'loop_breaker', summary: `The agent sent ${replies.count} replies without a person stepping in; it stopped to avoid a loop.` });
    return { skip: 'loop_breaker' };
  }

  const scope = { agencyId: turn.agencyId, tenantId: turn.tenantId };
  const tenant = await findTenant(tx, scope);
  const contact = (await findContact(tx, { tenantId: turn.tenantId, contactId: turn.contactId }))!;
  const timeZone = tenant?.timeZone ?? 'UTC';
  const history = await conversationHistory(tx, { tenantId: turn.tenantId, conversationId: turn.conversationId, throughMessageId: turn.lastMessageId, limit: agent.settings.recentMessages });
  const canary = `ref-${randomBytes(6).toString('hex')}`;
  const businessName = version.facts.businessName || tenant?.name || 'the business';
  const services = (await listBookingServices(tx, { tenantId: turn.tenantId })).filter((s) => s.active);
  const upcoming = (await listContactBookings(tx, { tenantId: turn.tenantId, contactId: turn.contactId, upcomingOnly: true }))
    .filter((b) => b.status === 'confirmed').map((b) => ({ bookingId: b.id, serviceId: b.serviceId, start: b.start }));
  const messages = buildAgentPrompt({
    baseTemplate: (await selectBaseTemplate(tx, scope)) ?? DEFAULT_BASE_TEMPLATE,
    agent, facts: version.facts, instructions: version.instructions, businessName, channel: turn.channel,
    contact: { name: contact.name, leadStage: contact.leadStage }, timeZone, now, services, upcoming,
    summary: state?.summary ?? null, history, toolResults: await recentToolResults(tx, { conversationId: turn.conversationId, limit: 6 }), canary,
  });
  const trigger = await findMessage(tx, { tenantId: turn.tenantId, messageId: turn.lastMessageId });
  return {
    agent, version, contact, businessName, timeZone, provider: trigger?.provider ?? null, history, lastAgentReply: replies.lastBody,
    summary: state?.summary ?? null, summarizedThroughSeq: state?.summarizedThroughSeq ?? null, messages, canary,
  };
}

/** The agent steps back: the conversation is paused until a person releases it; the team is told (agent.handoff event, contact timeline). */
export async function handOff(tx: Transaction, events: EventBus, turn: AgentTurn, input: { reason: string; summary: string }): Promise<void> {
  const scope = { agencyId: turn.agencyId, tenantId: turn.tenantId };
  await pauseConversation(tx, { ...scope, conversationId: turn.conversationId, until: PAUSED_INDEFINITELY, reason: input.reason.slice(0, 200) });
  // On the contact's timeline too, so staff opening the contact in the portal see why the agent stopped.
  await insertActivity(tx, {
    ...scope, contactId: turn.contactId, type: 'agent.handoff', data: { reason: input.reason, summary: input.summary, conversationId: turn.conversationId, channel: turn.channel },
    occurredAt: null, author: { type: 'agent', id: turn.agentId }, idempotencyKey: `agent-handoff:${turn.id}`,
  });
  await events.publish({
    type: 'agent.handoff', ...scope,
    data: { agentId: turn.agentId, conversationId: turn.conversationId, contactId: turn.contactId, channel: turn.channel, turnId: turn.id, reason: input.reason, summary: input.summary },
  }, { transaction: tx });
}
