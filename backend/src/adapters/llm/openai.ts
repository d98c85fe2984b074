import OpenAI from 'openai';
import { llmErrors, llmRequestDuration, llmTokens } from '../../metrics/metrics.js';
import { LlmError, type LlmCompletion, type LlmMessage, type LlmPort, type LlmRequest, type LlmTool } from '../../ports/llm.js';

export type OpenAiLlmOptions = {
  apiKey: string;
  baseUrl: string;
  model: string;
  fallbackModel?: string;
  timeoutMs: number;
  /** Retries per model after a 429/5xx/timeout (0 = one try). */
  maxRetries: number;
  /** A Retry-After longer than this is not waited for: the call fails as rate_limited at once. */
  maxRetryDelayMs: number;
  sleep?: (ms: number) => Promise<void>;
};

const BASE_BACKOFF_MS = 500;
const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Chat completions over the official SDK against any OpenAI-compatible endpoint. The SDK's own retries
 * are off: this adapter retries 429 (waiting Retry-After) and 5xx/timeouts with backoff, then moves to
 * the fallback model for any failure but a refused key. 401/403 fail at once.
 */
export class OpenAiLlm implements LlmPort {
  private readonly client: OpenAI;
  private readonly sleep: (ms: number) => Promise<void>;
  /** The metrics' provider label: the endpoint's host (api.openai.com, openrouter.ai, a local server). */
  private readonly provider: string;

  constructor(private readonly options: OpenAiLlmOptions) {
    this.client = new OpenAI({ apiKey: options.apiKey, baseURL: options.baseUrl, timeout: options.timeoutMs, maxRetries: 0 });
    this.sleep = options.sleep ?? sleepFor;
    this.provider = URL.canParse(options.baseUrl) ? new URL(options.baseUrl).host : 'unknown';
  }

  async complete(request: LlmRequest): Promise<LlmCompletion> {
    const primary = request.model ?? this.options.model;
    const models = [primary, this.options.fallbackModel].filter((m, i, all): m is string => !!m && all.indexOf(m) === i);
    let failure: LlmError | undefined;
    for (const model of models) {
      try {
        return await this.completeWithRetries(model, request);
      } catch (err) {
        if (!(err instanceof LlmError)) throw err;
        failure = err;
        // A refused key is refused for every model; anything else (outage, unknown model, rate limit) may pass on the fallback.
        if (err.reason === 'invalid_key' || err.reason === 'not_configured') throw err;
      }
    }
    throw failure!;
  }

  private async completeWithRetries(model: string, request: LlmRequest): Promise<LlmCompletion> {
    for (let attempt = 0; ; attempt += 1) {
      const stop = llmRequestDuration.startTimer({ provider: this.provider, model });
      try {
        const completion = await this.completeOnce(model, request);
        stop({ outcome: 'ok' });
        llmTokens.inc({ provider: this.provider, model, type: 'prompt' }, completion.usage.inputTokens);
        llmTokens.inc({ provider: this.provider, model, type: 'completion' }, completion.usage.outputTokens);
        return completion;
      } catch (err) {
        const failure = toLlmError(err, model);
        stop({ outcome: failure.reason });
        llmErrors.inc({ provider: this.provider, model, reason: failure.reason });
        const retryable = failure.reason === 'rate_limited' || failure.reason === 'unavailable' || failure.reason === 'timeout';
        if (!retryable || attempt >= this.options.maxRetries) throw failure;
        const wait = failure.options.retryAfterMs ?? BASE_BACKOFF_MS * 2 ** attempt;
        if (wait > this.options.maxRetryDelayMs) throw failure;
        await this.sleep(wait);
      }
    }
  }

  private async completeOnce(model: string, request: LlmRequest): Promise<LlmCompletion> {
    const response = await this.client.chat.completions.create({
      model,
      messages: request.messages.map(toOpenAiMessage),
      ...(request.tools?.length && { tools: request.tools.map(toOpenAiTool) }),
      max_completion_tokens: request.maxOutputTokens,
      temperature: request.temperature,
    });
    const choice = response.choices[0];
    if (!choice) throw new LlmError('unavailable', 'The model returned no answer', { model });
    return {
      text: choice.message.content ?? '',
      model: response.model || model,
      usage: { inputTokens: response.usage?.prompt_tokens ?? 0, outputTokens: response.usage?.completion_tokens ?? 0 },
      finishReason: choice.finish_reason ?? null,
      toolCalls: (choice.message.tool_calls ?? []).flatMap((call) =>
        call.type === 'function' ? [{ id: call.id, name: call.function.name, arguments: call.function.arguments }] : []),
    };
  }
}

function toOpenAiMessage(message: LlmMessage): OpenAI.Chat.ChatCompletionMessageParam {
  if (message.role === 'tool') return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
  if (message.role === 'assistant' && message.toolCalls?.length) {
    return {
      role: 'assistant',
      content: message.content || null,
      tool_calls: message.toolCalls.map((call) => ({ id: call.id, type: 'function' as const, function: { name: call.name, arguments: call.arguments } })),
    };
  }
  return { role: message.role, content: message.content };
}

function toOpenAiTool(tool: LlmTool): OpenAI.Chat.ChatCompletionTool {
  return { type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.parameters } };
}

/** Retry-After in seconds or an HTTP date, in ms. */
export function retryAfterMs(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function toLlmError(err: unknown, model: string): LlmError {
  if (err instanceof LlmError) return err;
  if (err instanceof OpenAI.APIConnectionTimeoutError) return new LlmError('timeout', 'The model did not answer in time', { model });
  if (err instanceof OpenAI.APIConnectionError) return new LlmError('unavailable', 'The model endpoint could not be reached', { model });
  if (err instanceof OpenAI.APIError) {
    const status = err.status ?? 0;
    const options = { status, model, retryAfterMs: retryAfterMs(err.headers?.get('retry-after')) };
    if (status === 401 || status === 403) return new LlmError('invalid_key', 'The AI provider refused the API key (check the key in the AI model settings, or LLM_API_KEY)', options);
    if (status === 429) return new LlmError('rate_limited', 'The LLM provider is rate limiting us', options);
    if (status === 408 || status >= 500) return new LlmError('unavailable', `The LLM provider failed (${status})`, options);
    return new LlmError('bad_request', `The LLM provider rejected the request (${status}): ${err.message}`, options);
  }
  throw err;
}
