import type { LlmConfig } from '../../config.js';
import { LlmError, type LlmFactory, type LlmPort } from '../../ports/llm.js';
import { OpenAiLlm } from './openai.js';

/** Without an API key the AI features are off: every call fails as `not_configured` (503). */
export class UnconfiguredLlm implements LlmPort {
  constructor(private readonly message = 'No AI model is set up (the agency sets one in the portal under AI model, or set LLM_API_KEY)') {}
  async complete(): Promise<never> {
    throw new LlmError('not_configured', this.message);
  }
}

/** Ports for connections saved in the portal, with the installation's timeouts and retries. */
export function llmFactory(config: LlmConfig): LlmFactory {
  return (connection) => new OpenAiLlm({
    ...connection,
    baseUrl: connection.baseUrl.replace(/\/+$/, ''),
    timeoutMs: config.timeoutMs,
    maxRetries: config.maxRetries,
    maxRetryDelayMs: config.maxRetryDelayMs,
  });
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
