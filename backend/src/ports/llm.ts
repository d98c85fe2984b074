// Port: a large language model behind an OpenAI-compatible chat API. Use cases build the messages,
// the adapter handles timeouts, retries (429/5xx, honouring Retry-After) and the fallback model.
export type LlmMessage = { role: 'system' | 'user' | 'assistant'; content: string };

export type LlmRequest = {
  messages: LlmMessage[];
  /** Default: the adapter's configured model. */
  model?: string;
  maxOutputTokens?: number;
  temperature?: number;
};

export type LlmUsage = { inputTokens: number; outputTokens: number };

export type LlmCompletion = {
  text: string;
  /** The model that answered (the fallback when the primary failed). */
  model: string;
  usage: LlmUsage;
  finishReason: string | null;
};

/** Why a completion failed; operator-visible (API `details.reason` = `llm_<reason>`). */
export type LlmFailureReason = 'not_configured' | 'invalid_key' | 'rate_limited' | 'unavailable' | 'timeout' | 'bad_request';

export class LlmError extends Error {
  constructor(
    readonly reason: LlmFailureReason,
    message: string,
    readonly options: { retryAfterMs?: number; status?: number; model?: string } = {},
  ) {
    super(message);
    this.name = 'LlmError';
  }
}

export interface LlmPort {
  complete(request: LlmRequest): Promise<LlmCompletion>;
}
