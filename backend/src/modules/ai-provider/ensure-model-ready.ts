import { AppError } from '../../http/errors.js';
import { LlmError } from '../../ports/llm.js';
import type { TenantScope } from '../contacts/contact-scope.js';
import type { ProviderSettingsDeps } from './manage-provider-settings.js';
import { ping, READY_TTL_MS, rememberTest } from './test-provider.js';

/** The portal page where the model is set up (the agency's default at agency level, a tenant's override inside a tenant). */
export const AI_SETTINGS_PATH = '/ai-model';

/**
 * Before an agent is switched on: a model must be set up and answer. A passed test in the last 24 h
 * (saved on the settings, or a live check in this process) is enough; otherwise the model is asked now.
 * Refusal: 409 CONFLICT with details.reason `llm_<reason>` and where to fix it.
 */
export async function ensureModelReady(deps: ProviderSettingsDeps, scope: TenantScope): Promise<void> {
  const resolved = await deps.llms.resolve(scope);
  if (!resolved.connection) {
    throw new AppError('CONFLICT', 'No AI model is set up, so the agent cannot answer. Set one up under AI model first.', {
      reason: 'llm_not_configured', settingsPath: AI_SETTINGS_PATH,
    });
  }
  const testedAt = resolved.row?.testOk ? Date.parse(resolved.row.testedAt!) : 0;
  if (Date.now() - testedAt < READY_TTL_MS || deps.llms.recentlyReady(resolved.connection)) return;
  try {
    await ping(resolved.llm);
    await rememberTest(deps, resolved, { ok: true, error: null });
  } catch (err) {
    if (!(err instanceof LlmError)) throw err;
    await rememberTest(deps, resolved, { ok: false, error: `llm_${err.reason}: ${err.message}` });
    throw new AppError('CONFLICT', `The AI model did not answer, so the agent cannot be switched on: ${err.message}`, {
      reason: `llm_${err.reason}`, settingsPath: AI_SETTINGS_PATH, model: err.options.model, providerStatus: err.options.status,
    });
  }
}
