import { AppError, providerError, providerUnreachable } from '../../http/errors.js';
import type { Actor } from '../../http/request-context.js';
import { LlmError, type LlmPort } from '../../ports/llm.js';
import { levelOf, type ProviderSettingsDeps } from './manage-provider-settings.js';
import { recordTestResult } from './provider-settings-repository.js';
import type { ProviderTestResult } from './schemas.js';
import type { ResolvedLlm } from './tenant-llms.js';

const PING = {
  messages: [
    { role: 'system' as const, content: 'You are checking that a connection works.' },
    { role: 'user' as const, content: 'Answer with one short friendly sentence that says the connection works.' },
  ],
  maxOutputTokens: 40,
  temperature: 0,
};

/** A small real completion; the answer, or the LlmError as it came. */
export async function ping(llm: LlmPort): Promise<{ model: string; answer: string }> {
  const completion = await llm.complete(PING);
  return { model: completion.model, answer: completion.text.trim() || '(the model answered with an empty message)' };
}

/** Keeps the outcome on the saved row it tested (the agency's row is written at agency scope). */
export async function rememberTest(deps: ProviderSettingsDeps, resolved: ResolvedLlm, outcome: { ok: boolean; error: string | null }): Promise<void> {
  const row = resolved.row;
  if (row) await deps.runInScope({ agencyId: row.agencyId, ...(row.tenantId && { tenantId: row.tenantId }) }, (tx) => recordTestResult(tx, { id: row.id, updatedAt: row.updatedAt, ...outcome }));
  if (outcome.ok && resolved.connection) deps.llms.markReady(resolved.connection, READY_TTL_MS);
}

/** How long a passed test lets agents be switched on without calling the model again. */
export const READY_TTL_MS = 24 * 3_600_000;

/** The provider's refusal as the API answers it: 502 when it answered with an error, 503 when it could not be reached. */
export function explainLlmFailure(err: LlmError): AppError {
  const details = { reason: `llm_${err.reason}`, model: err.options.model, providerStatus: err.options.status };
  if (err.reason === 'not_configured') return new AppError('CONFLICT', err.message, { reason: 'llm_not_configured' });
  if (err.options.status) return providerError('llm', `The AI provider answered with an error: ${err.message}`, details);
  return providerUnreachable('llm', `The AI provider could not be reached: ${err.message}`, details);
}

/** "Test" in the portal: what applies at the caller's level answers a small prompt, or the provider's error is shown. */
export async function testProviderSettings(deps: ProviderSettingsDeps, input: { actor: Actor }): Promise<ProviderTestResult> {
  const level = levelOf(input.actor);
  const resolved = await deps.llms.resolve({ agencyId: level.agencyId, ...(level.tenantId && { tenantId: level.tenantId }) });
  if (resolved.source === 'none') throw new AppError('CONFLICT', 'No AI model is set up yet: save a base URL, API key and model first', { reason: 'llm_not_configured' });
  try {
    const { model, answer } = await ping(resolved.llm);
    await rememberTest(deps, resolved, { ok: true, error: null });
    return { ok: true, source: resolved.source, model, answer, testedAt: new Date().toISOString() };
  } catch (err) {
    if (!(err instanceof LlmError)) throw err;
    await rememberTest(deps, resolved, { ok: false, error: `llm_${err.reason}: ${err.message}` });
    throw explainLlmFailure(err);
  }
}
