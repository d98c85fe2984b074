import type { LlmConfig } from '../../config.js';
import { LlmError, type LlmPort } from '../../ports/llm.js';
import { OpenAiLlm } from './openai.js';

/** Without an API key the AI features are off: every call fails as `not_configured` (503). */
class UnconfiguredLlm implements LlmPort {
  async complete(): Promise<never> {
    throw new LlmError('not_configured', 'No LLM is configured (set LLM_API_KEY)');
  }
}

export function selectLlm(config: LlmConfig): LlmPort {
  if (!config.apiKey) return new UnconfiguredLlm();
  return new OpenAiLlm({
    apiKey: config.apiKey,
    baseUrl: config.baseUrl,
    model: config.model,
    fallbackModel: config.fallbackModel,
    timeoutMs: config.timeoutMs,
    maxRetries: config.maxRetries,
    maxRetryDelayMs: config.maxRetryDelayMs,
  });
}
