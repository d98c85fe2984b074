// A fake OpenAI-compatible API for tests, demos and the agent runtime's tests: POST /v1/chat/completions
// with scripted replies, tool calls, usage numbers, latency, errors (429 + Retry-After, 500, 401) and
// hangs. Point the official SDK at it: `new OpenAI({ apiKey, baseURL: `${fake.url}/v1` })`.
import { randomUUID } from 'node:crypto';
import { FakeProviderServer, sleep, type FakeRequest, type Reply } from '../support/fake-server.js';
import { estimateTokens, ResponseScript, type ChatRequest, type Match, type Responder, type ScriptedResponse } from './scripts.js';

export type FakeOpenAiOptions = {
  /** Keys accepted (Bearer); empty: any key is accepted. */
  apiKeys?: string[];
  /** What to answer when nothing is scripted; default: "OK". */
  defaultResponse?: Responder;
  port?: number;
};

const DEFAULT_RESPONSE: Responder = { reply: 'OK' };

export class FakeOpenAI extends FakeProviderServer {
  readonly apiKeys: Set<string>;
  /** Every chat completion request body received, in order (after the key check). */
  readonly completions: ChatRequest[] = [];
  readonly script: ResponseScript;
  private readonly defaultResponse: Responder;

  constructor(options: FakeOpenAiOptions = {}) {
    super();
    this.apiKeys = new Set(options.apiKeys ?? []);
    this.defaultResponse = options.defaultResponse ?? DEFAULT_RESPONSE;
    this.script = new ResponseScript(this.defaultResponse);
  }

  static async start(options: FakeOpenAiOptions = {}): Promise<FakeOpenAI> {
    return new FakeOpenAI(options).listen(options.port ?? 0);
  }

  get baseUrl(): string {
    return `${this.url}/v1`;
  }

  /** Queues responses for the next matching requests (any model unless `match.model`). */
  respond(...responders: Responder[]): this {
    this.script.push({}, ...responders);
    return this;
  }

  respondTo(match: Match, ...responders: Responder[]): this {
    this.script.push(match, ...responders);
    return this;
  }

  protected isFaultable(req: FakeRequest): boolean {
    return req.method === 'POST' && req.path.endsWith('/chat/completions');
  }

  protected resetState(): void {
    this.completions.length = 0;
    this.script.clear(this.defaultResponse);
  }

  protected errorBody(status: number, code: number | string | undefined, message: string): unknown {
    const type = status === 401 ? 'invalid_request_error' : status === 429 ? 'rate_limit_exceeded' : status >= 500 ? 'server_error' : 'invalid_request_error';
    return { error: { message, type, param: null, code: code === undefined ? null : String(code) } };
  }

  protected override control(action: string, input: Record<string, unknown>): unknown {
    if (action !== 'script') return undefined;
    const responses = (input.responses ?? [input.response]) as ScriptedResponse[];
    this.script.push({ model: input.model as string | undefined }, ...responses);
    return true;
  }

  protected override state(): unknown {
    return { completions: this.completions.length, pending: this.script.pending };
  }

  protected async handle(req: FakeRequest): Promise<Reply> {
    if (!this.isFaultable(req)) return { status: 404, body: this.errorBody(404, 'not_found', `Unknown path ${req.method} ${req.path}`) };
    const key = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!key || (this.apiKeys.size > 0 && !this.apiKeys.has(key))) {
      return { status: 401, body: this.errorBody(401, 'invalid_api_key', `Incorrect API key provided: ${key ? `${key.slice(0, 3)}***` : 'none'}.`) };
    }
    const request = JSON.parse(req.rawBody) as ChatRequest;
    this.completions.push(request);
    return this.scriptedReply(request, this.script.take(request));
  }

  private async scriptedReply(request: ChatRequest, scripted: ScriptedResponse): Promise<Reply> {
    if ('hang' in scripted) return new Promise<Reply>(() => {}); // never settles; close() cuts the socket
    if (scripted.latencyMs) await sleep(scripted.latencyMs);
    if ('error' in scripted) {
      const { status, message, code } = scripted.error;
      const headers = scripted.retryAfterSeconds !== undefined ? { 'retry-after': String(scripted.retryAfterSeconds) } : undefined;
      return { status, body: this.errorBody(status, code, message ?? `Scripted error ${status}`), headers };
    }
    return { status: 200, body: completionBody(request, scripted) };
  }
}

function completionBody(request: ChatRequest, scripted: Extract<ScriptedResponse, { reply?: string }>) {
  const toolCalls = scripted.toolCalls?.map((call) => ({
    id: call.id ?? `call_${randomUUID().replace(/-/g, '').slice(0, 24)}`,
    type: 'function',
    function: { name: call.name, arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments) },
  }));
  const content = scripted.reply ?? (toolCalls ? null : '');
  const promptText = request.messages.map((m) => m.content ?? '').join('\n');
  const promptTokens = scripted.usage?.promptTokens ?? estimateTokens(promptText);
  const completionTokens = scripted.usage?.completionTokens ?? estimateTokens(content ?? JSON.stringify(toolCalls ?? []));
  return {
    id: `chatcmpl-${randomUUID().replace(/-/g, '')}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: scripted.model ?? request.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content, ...(toolCalls && { tool_calls: toolCalls }), refusal: null },
        finish_reason: scripted.finishReason ?? (toolCalls ? 'tool_calls' : 'stop'),
        logprobs: null,
      },
    ],
    usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
  };
}
