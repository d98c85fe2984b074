// What the fake answers to a chat completion: a queue of scripted responses (each optionally limited to
// requests for one model, or to requests a predicate accepts), then the default. A response can be a
// function of the request, so a test (or issue 8's agent runtime tests) can answer from the prompt.
export type ChatMessage = { role: string; content?: string | null; tool_calls?: unknown; tool_call_id?: string; name?: string };
export type ChatRequest = {
  model: string;
  messages: ChatMessage[];
  tools?: { type: string; function: { name: string; description?: string; parameters?: unknown } }[];
  max_completion_tokens?: number;
  max_tokens?: number;
  temperature?: number;
  [key: string]: unknown;
};

export type ToolCall = { id?: string; name: string; arguments: Record<string, unknown> | string };
export type Usage = { promptTokens?: number; completionTokens?: number };

export type ScriptedResponse =
  /** An assistant message (text, tool calls or both). Usage defaults to ~4 characters per token. */
  | { reply?: string; toolCalls?: ToolCall[]; usage?: Usage; model?: string; finishReason?: string; latencyMs?: number }
  /** An OpenAI-style error; 429 may carry Retry-After (seconds). */
  | { error: { status: number; message?: string; type?: string; code?: string }; retryAfterSeconds?: number; latencyMs?: number }
  /** Never answer: the client times out. */
  | { hang: true };

export type Responder = ScriptedResponse | ((request: ChatRequest) => ScriptedResponse);
export type Match = { model?: string; when?: (request: ChatRequest) => boolean };
type Queued = { responder: Responder; match: Match };

export class ResponseScript {
  private readonly queue: Queued[] = [];
  private fallback: Responder;

  constructor(defaultResponder: Responder) {
    this.fallback = defaultResponder;
  }

  /** Queues responses, used once each, in order, for requests matching `match` (default: any). */
  push(match: Match, ...responders: Responder[]): this {
    for (const responder of responders) this.queue.push({ responder, match });
    return this;
  }

  setDefault(responder: Responder): this {
    this.fallback = responder;
    return this;
  }

  get pending(): number {
    return this.queue.length;
  }

  clear(defaultResponder: Responder): void {
    this.queue.length = 0;
    this.fallback = defaultResponder;
  }

  /** The first queued response whose match accepts the request (removed), else the default. */
  take(request: ChatRequest): ScriptedResponse {
    const index = this.queue.findIndex(({ match }) => (!match.model || match.model === request.model) && (!match.when || match.when(request)));
    const responder = index >= 0 ? this.queue.splice(index, 1)[0]!.responder : this.fallback;
    return typeof responder === 'function' ? responder(request) : responder;
  }
}

export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}
