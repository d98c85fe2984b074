// Port: a large language model behind an OpenAI-compatible chat API. Use cases build the messages,
// the adapter handles timeouts, retries (429/5xx, honouring Retry-After) and the fallback model.
export type LlmToolCall = { id: string; name: string; /** JSON text as the model wrote it (may be invalid). */ arguments: string };

export type LlmMessage =
  | { role: 'system' | 'user'; content: string }
  | { role: 'assistant'; content: string; toolCalls?: LlmToolCall[] }
  | { role: 'tool'; toolCallId: string; content: string };

/** A function the model may call; `parameters` is a JSON schema object. */
export type LlmTool = { name: string; description: string; parameters: Record<string, unknown> };

export type LlmRequest = {
  messages: LlmMessage[];
  /** Default: the adapter's configured model. */
  model?: string;
  maxOutputTokens?: number;
  temperature?: number;
  /** Functions the model may call instead of (or before) answering. */
  tools?: LlmTool[];
};

export type LlmUsage = { inputTokens: number; outputTokens: number };

export type LlmCompletion = {
  text: string;
  /** The model that answered (the fallback when the primary failed). */
  model: string;
  usage: LlmUsage;
  finishReason: string | null;
  /** Calls the model asked for (empty when it answered with text). */
  toolCalls: LlmToolCall[];
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

/** Where a model is reached: set per agency or tenant in the portal, or the installation's LLM_* env. */
export type LlmConnection = { baseUrl: string; apiKey: string; model: string; fallbackModel?: string };

/** Builds the port for a connection (timeouts and retries come from the installation's config). */
export type LlmFactory = (connection: LlmConnection) => LlmPort;
