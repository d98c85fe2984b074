import type { ScopedDeps } from '../../db/scoped-deps.js';
import { AppError } from '../../http/errors.js';
import type { Actor } from '../../http/request-context.js';
import { LlmError, type LlmPort } from '../../ports/llm.js';
import type { TenantLlms } from '../ai-provider/tenant-llms.js';
import { actorId } from '../auth/principal.js';
import { tenantScopeOf } from '../contacts/contact-scope.js';
import { insertUsageEvent, type UsageSource } from '../usage/usage-repository.js';
import { findAiSettings } from './ai-settings.js';
import { estimateCostMicros, priceOf, type TokenPrice } from './estimate-cost.js';
import { buildTaskMessages, matchLabel, type TaskInput } from './prompts.js';

export type AiDeps = ScopedDeps & { llms: Pick<TenantLlms, 'forTenant'>; priceOverride?: TokenPrice };

export type Generated = {
  task: TaskInput['task'];
  text: string;
  label: string | null;
  model: string;
  usage: { inputTokens: number; outputTokens: number; estimatedCostUsd: number };
  usageEventId: string;
};

const DEFAULT_MAX_OUTPUT_TOKENS = 500;

/**
 * Runs one AI task for the caller's tenant with its settings, and meters it: every answered call
 * leaves one usage_events row (kind llm.tokens) whatever the caller does with the text.
 */
export async function generateText(
  deps: AiDeps,
  input: TaskInput & { actor: Actor; maxOutputTokens?: number; reference?: string; source?: UsageSource },
): Promise<Generated> {
  const scope = tenantScopeOf(input.actor);
  const settings = await deps.runInScope(scope, (tx) => findAiSettings(tx, scope));
  const completion = await completeOrExplain(await deps.llms.forTenant(scope), {
    messages: buildTaskMessages(input, settings.instructions),
    model: settings.model ?? undefined,
    maxOutputTokens: input.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS,
    temperature: input.task === 'classify' ? 0 : 0.4,
  });
  const costMicros = estimateCostMicros(completion.usage, priceOf(completion.model, deps.priceOverride));
  const { principal } = input.actor;
  const usageEventId = await deps.runInScope(scope, (tx) =>
    insertUsageEvent(tx, {
      ...scope,
      kind: 'llm.tokens',
      source: input.source ?? (principal.kind === 'service' ? 'n8n' : 'portal'),
      model: completion.model,
      ...completion.usage,
      estimatedCostMicros: costMicros,
      reference: input.reference ?? null,
      actorType: principal.kind,
      actorId: actorId(principal),
    }),
  );
  const text = completion.text.trim();
  return {
    task: input.task,
    text,
    label: input.task === 'classify' ? matchLabel(text, input.labels ?? []) : null,
    model: completion.model,
    usage: { ...completion.usage, estimatedCostUsd: costMicros / 1_000_000 },
    usageEventId,
  };
}

async function completeOrExplain(llm: LlmPort, request: Parameters<LlmPort['complete']>[0]) {
  try {
    return await llm.complete(request);
  } catch (err) {
    if (err instanceof LlmError) throw toAppError(err);
    throw err;
  }
}

/** Operator-visible: `details.reason` names what to fix or wait for. */
function toAppError(err: LlmError): AppError {
  const details = { reason: `llm_${err.reason}`, model: err.options.model, providerStatus: err.options.status };
  switch (err.reason) {
    case 'invalid_key':
    case 'bad_request':
      return new AppError('UPSTREAM_FAILED', err.message, details);
    case 'rate_limited': {
      const seconds = Math.max(1, Math.ceil((err.options.retryAfterMs ?? 30_000) / 1000));
      return new AppError('DEPENDENCY_UNAVAILABLE', err.message, details, { 'Retry-After': String(seconds) });
    }
    default:
      return new AppError('DEPENDENCY_UNAVAILABLE', err.message, details);
  }
}
