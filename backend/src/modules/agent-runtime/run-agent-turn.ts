import type { Transaction } from 'sequelize';
import type { ScopedDeps } from '../../db/scoped-deps.js';
import type { Logger } from '../../logger.js';
import { LlmError, type LlmCompletion, type LlmMessage, type LlmPort } from '../../ports/llm.js';
import { recordAgentError } from '../agents/agent-repository.js';
import { estimateCostMicros, priceOf, type TokenPrice } from '../ai/estimate-cost.js';
import type { TenantLlms } from '../ai-provider/tenant-llms.js';
import { clockOf, type MessagingDeps } from '../messages/messaging-deps.js';
import { sendInTransaction } from '../messages/request-send.js';
import type { PaymentDeps } from '../payments/payment-deps.js';
import { complianceTexts, findMessagingSettings } from '../policy/messaging-settings.js';
import type { SendPurpose } from '../policy/policy-types.js';
import { insertUsageEvent } from '../usage/usage-repository.js';
import { agentTools, runToolCall, type ToolEffects } from './agent-tools.js';
import { FALLBACK_REPLIES, leaksPrompt, repeatsLastReply } from './reply-guards.js';
import { summarizeIfDue } from './summarize-conversation.js';
import { handOff, humanHasConversation, loadTurnContext, type TurnContext } from './turn-context.js';
import { finishTurn, postponeTurn, type TurnResult } from './turn-repository.js';
import type { AgentTurn, ToolCallRecord } from './turn-types.js';

export type AgentRuntimeDeps = MessagingDeps & {
  /** The tenant's model: its own settings, else its agency's, else LLM_* env. */
  llms: Pick<TenantLlms, 'forTenant'>;
  logger: Logger;
  payments?: Omit<PaymentDeps, keyof ScopedDeps>;
  priceOverride?: TokenPrice;
  /** Tool-call rounds per turn before the agent gives up and says it will check with the team. */
  maxToolRounds?: number;
  /** Tries of one turn when the model is rate limited or down (then the turn fails, visibly). */
  maxAttempts?: number;
  retryBaseMs?: number;
};

type Usage = { inputTokens: number; outputTokens: number; estimatedCostMicros: number; llmMs: number };
type Completed = { text: string; toolCalls: ToolCallRecord[]; effects: ToolEffects; model: string | null; usage: Usage };

const DEFAULT_MAX_TOOL_ROUNDS = 4;

/**
 * One inbound turn, answered at most once: reads the context (or stays quiet), lets the model talk and
 * call tools, guards the reply, then sends it through the normal pipeline in the same transaction that
 * closes the turn. A crash anywhere re-runs the turn; the reply's idempotency key and the tools' keys
 * make the re-run find what the first run did instead of doing it again.
 */
export async function runAgentTurn(deps: AgentRuntimeDeps, turn: AgentTurn): Promise<TurnResult | 'postponed'> {
  const scope = { agencyId: turn.agencyId, tenantId: turn.tenantId };
  const now = clockOf(deps);
  const context = await deps.runInScope(scope, (tx) => loadTurnContext(tx, deps.events, turn, now));
  if ('skip' in context) return close(deps, turn, { status: 'skipped', outcome: context.skip });
  let completed: Completed;
  const llm = await deps.llms.forTenant(scope);
  try {
    completed = await converse(deps, llm, turn, context, now);
  } catch (err) {
    if (!(err instanceof LlmError)) throw err;
    return llmFailed(deps, turn, err);
  }
  const result = await deps.runInScope(scope, (tx) => reply(tx, deps, turn, context, completed, now));
  await summarizeIfDue(deps, llm, turn, context).catch((err: unknown) =>
    deps.logger.warn({ turnId: turn.id, err: err instanceof Error ? err.message : String(err) }, 'conversation summary failed; kept the previous one'));
  return result;
}

async function converse(deps: AgentRuntimeDeps, llm: LlmPort, turn: AgentTurn, context: TurnContext, now: Date): Promise<Completed> {
  const messages: LlmMessage[] = [...context.messages];
  const tools = agentTools({ payments: !!deps.payments });
  const records: ToolCallRecord[] = [];
  const effects: ToolEffects = {};
  const usage: Usage = { inputTokens: 0, outputTokens: 0, estimatedCostMicros: 0, llmMs: 0 };
  let model: string | null = null;
  const toolContext = {
    deps, scope: { agencyId: turn.agencyId, tenantId: turn.tenantId }, agentId: turn.agentId, turnId: turn.id, contactId: turn.contactId,
    conversationId: turn.conversationId, channel: turn.channel, timeZone: context.timeZone, now,
  };
  for (let round = 0; round < (deps.maxToolRounds ?? DEFAULT_MAX_TOOL_ROUNDS); round += 1) {
    const completion = await meteredCompletion(deps, llm, turn, usage, {
      messages, tools, model: context.agent.settings.model, maxOutputTokens: context.agent.settings.maxOutputTokens, temperature: 0.3,
    });
    model = completion.model;
    if (completion.toolCalls.length === 0) return { text: completion.text.trim(), toolCalls: records, effects, model, usage };
    messages.push({ role: 'assistant', content: completion.text, toolCalls: completion.toolCalls });
    for (const call of completion.toolCalls) {
      const record = await runToolCall(toolContext, call, effects);
      records.push(record);
      messages.push({ role: 'tool', toolCallId: call.id, content: JSON.stringify(record.result) });
    }
  }
  deps.logger.warn({ turnId: turn.id }, 'agent used every tool round without answering');
  return { text: '', toolCalls: records, effects, model, usage };
}

/** One model call, metered at once (tokens and estimated cost per tenant, agent and conversation). */
async function meteredCompletion(deps: AgentRuntimeDeps, llm: LlmPort, turn: AgentTurn, usage: Usage, request: Parameters<LlmPort['complete']>[0]): Promise<LlmCompletion> {
  const started = performance.now();
  const completion = await llm.complete(request);
  usage.llmMs += Math.round(performance.now() - started);
  const cost = estimateCostMicros(completion.usage, priceOf(completion.model, deps.priceOverride));
  usage.inputTokens += completion.usage.inputTokens;
  usage.outputTokens += completion.usage.outputTokens;
  usage.estimatedCostMicros += cost;
  await deps.runInScope({ agencyId: turn.agencyId, tenantId: turn.tenantId }, (tx) => insertUsageEvent(tx, {
    agencyId: turn.agencyId, tenantId: turn.tenantId, kind: 'llm.tokens', source: 'agent', model: completion.model, ...completion.usage,
    estimatedCostMicros: cost, reference: `agent-turn:${turn.id}`, actorType: 'agent', actorId: turn.agentId, agentId: turn.agentId, conversationId: turn.conversationId,
  }));
  return completion;
}

/** What the agent finally says (guarded), sent and recorded in one transaction. */
async function reply(tx: Transaction, deps: AgentRuntimeDeps, turn: AgentTurn, context: TurnContext, done: Completed, now: Date): Promise<TurnResult> {
  const base = { toolCalls: done.toolCalls, model: done.model, usage: done.usage };
  // A person may have stepped in while the model was thinking: they win.
  if (!done.effects.optedOut && (await humanHasConversation(tx, turn, context.agent, now))) {
    return closeIn(tx, turn, { ...base, status: 'skipped', outcome: 'human_takeover' });
  }
  let purpose: SendPurpose = 'message';
  let outcome = 'replied';
  let text = done.text;
  if (done.effects.optedOut) {
    const settings = await findMessagingSettings(tx, turn);
    text = complianceTexts(settings, context.businessName).optOutConfirmation;
    purpose = 'opt_out_confirmation';
    outcome = 'opted_out';
  } else if (leaksPrompt(text, context.messages[0]!.content, context.canary)) {
    text = FALLBACK_REPLIES.refuseDisclosure;
    outcome = 'refused_disclosure';
  } else if (!text) {
    text = done.effects.handedOff ? FALLBACK_REPLIES.handedOff : FALLBACK_REPLIES.checkWithTeam;
    outcome = 'fallback_reply';
  }
  if (purpose === 'message' && repeatsLastReply(text, context.lastAgentReply)) {
    await handOff(tx, deps.events, turn, { reason: 'repeating', summary: `The agent was about to repeat its last reply ("${text.slice(0, 200)}"); it stopped and handed over.` });
    return closeIn(tx, turn, { ...base, status: 'skipped', outcome: 'loop_breaker' });
  }
  const sent = await sendInTransaction(tx, deps, { agencyId: turn.agencyId, tenantId: turn.tenantId }, {
    contactId: turn.contactId, channel: turn.channel, body: text, purpose, source: 'agent', idempotencyKey: `agent-turn:${turn.id}`,
    provider: context.provider ?? undefined,
  });
  if (done.effects.handedOff) await handOff(tx, deps.events, turn, done.effects.handedOff);
  if (context.agent.lastError) await recordAgentError(tx, { tenantId: turn.tenantId, agentId: turn.agentId, error: null });
  if (done.effects.handedOff) outcome = 'handed_off';
  return closeIn(tx, turn, { ...base, status: 'answered', outcome, replyMessageId: sent.message.id, replyText: text });
}

async function closeIn(tx: Transaction, turn: AgentTurn, result: TurnResult): Promise<TurnResult> {
  await finishTurn(tx, { tenantId: turn.tenantId, turnId: turn.id, result });
  return result;
}

function close(deps: AgentRuntimeDeps, turn: AgentTurn, result: TurnResult): Promise<TurnResult> {
  return deps.runInScope({ agencyId: turn.agencyId, tenantId: turn.tenantId }, (tx) => closeIn(tx, turn, result));
}

/**
 * 429, timeouts and outages: the turn waits and is tried again (Retry-After honoured), then fails. A wrong
 * key or a rejected request fails at once. Failures are operator-visible: the agent's last error, the
 * turn's outcome `llm_<reason>`, an `agent.turn_failed` event and an error log line.
 */
async function llmFailed(deps: AgentRuntimeDeps, turn: AgentTurn, err: LlmError): Promise<TurnResult | 'postponed'> {
  const scope = { agencyId: turn.agencyId, tenantId: turn.tenantId };
  const transient = err.reason === 'rate_limited' || err.reason === 'timeout' || err.reason === 'unavailable';
  if (transient && turn.attempts < (deps.maxAttempts ?? 3)) {
    const delayMs = err.options.retryAfterMs ?? (deps.retryBaseMs ?? 2_000) * 2 ** (turn.attempts - 1);
    await deps.runInScope(scope, (tx) => postponeTurn(tx, { tenantId: turn.tenantId, turnId: turn.id, delayMs, error: err.message }));
    deps.logger.warn({ turnId: turn.id, reason: err.reason, delayMs }, 'LLM unavailable; the agent turn will be retried');
    return 'postponed';
  }
  deps.logger.error({ turnId: turn.id, agentId: turn.agentId, reason: err.reason, model: err.options.model, status: err.options.status }, `agent turn failed: ${err.message}`);
  return deps.runInScope(scope, async (tx) => {
    await recordAgentError(tx, { tenantId: turn.tenantId, agentId: turn.agentId, error: `llm_${err.reason}: ${err.message}` });
    await deps.events.publish({
      type: 'agent.turn_failed', ...scope,
      data: { agentId: turn.agentId, conversationId: turn.conversationId, contactId: turn.contactId, turnId: turn.id, reason: `llm_${err.reason}`, message: err.message },
    }, { transaction: tx });
    return closeIn(tx, turn, { status: 'failed', outcome: `llm_${err.reason}`, error: err.message });
  });
}
