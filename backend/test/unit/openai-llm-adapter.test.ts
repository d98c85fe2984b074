import { expect } from 'chai';
import OpenAI from 'openai';
import { FakeOpenAI } from '../../../tests/fakes/openai/index.js';
import { OpenAiLlm, retryAfterMs, type OpenAiLlmOptions } from '../../src/adapters/llm/openai.js';
import { LlmError, type LlmRequest } from '../../src/ports/llm.js';

const KEY = 'sk-test-adapter';
const ASK: LlmRequest = { messages: [{ role: 'user', content: 'Summarize: the customer wants Friday.' }] };

async function failure(promise: Promise<unknown>): Promise<LlmError> {
  try {
    await promise;
  } catch (err) {
    expect(err).to.be.instanceOf(LlmError);
    return err as LlmError;
  }
  throw new Error('expected the completion to fail');
}

describe('OpenAiLlm (official SDK against the fake OpenAI API)', () => {
  let fake: FakeOpenAI;
  let waits: number[];

  const adapter = (overrides: Partial<OpenAiLlmOptions> = {}) =>
    new OpenAiLlm({
      apiKey: KEY, baseUrl: fake.baseUrl, model: 'gpt-4o-mini', timeoutMs: 1000, maxRetries: 2, maxRetryDelayMs: 5000,
      sleep: async (ms) => void waits.push(ms),
      ...overrides,
    });

  before(async () => {
    fake = await FakeOpenAI.start({ apiKeys: [KEY] });
  });
  beforeEach(() => {
    fake.reset();
    waits = [];
  });
  after(() => fake.close());

  it('when the model answers, then the text, the model and the token usage come back', async () => {
    fake.respond({ reply: 'Wants Friday.', usage: { promptTokens: 42, completionTokens: 3 } });
    const completion = await adapter().complete({ ...ASK, maxOutputTokens: 50, temperature: 0 });
    expect(completion).to.deep.include({ text: 'Wants Friday.', model: 'gpt-4o-mini', usage: { inputTokens: 42, outputTokens: 3 }, finishReason: 'stop' });
    expect(fake.completions[0]).to.deep.include({ model: 'gpt-4o-mini', max_completion_tokens: 50, temperature: 0 });
  });

  it('when the provider answers 429 with Retry-After, then the adapter waits that long and retries', async () => {
    fake.respond({ error: { status: 429, message: 'Rate limit reached' }, retryAfterSeconds: 2 }, { reply: 'OK after waiting' });
    const completion = await adapter().complete(ASK);
    expect(completion.text).to.equal('OK after waiting');
    expect(waits).to.deep.equal([2000]);
    expect(fake.completions).to.have.length(2);
  });

  it('when 429 persists past the retries, then it fails as rate_limited with the Retry-After', async () => {
    fake.respond(...Array.from({ length: 3 }, () => ({ error: { status: 429 }, retryAfterSeconds: 1 })));
    const err = await failure(adapter().complete(ASK));
    expect(err.reason).to.equal('rate_limited');
    expect(err.options.retryAfterMs).to.equal(1000);
    expect(fake.completions).to.have.length(3);
  });

  it('when Retry-After is longer than we are willing to wait, then it fails at once', async () => {
    fake.respond({ error: { status: 429 }, retryAfterSeconds: 60 });
    const err = await failure(adapter().complete(ASK));
    expect(err.reason).to.equal('rate_limited');
    expect(waits).to.deep.equal([]);
  });

  it('when the primary model keeps failing with 5xx, then the fallback model answers', async () => {
    fake.respondTo({ model: 'gpt-4o-mini' }, ...Array.from({ length: 3 }, () => ({ error: { status: 500 } })));
    fake.respondTo({ model: 'gpt-4.1-nano' }, { reply: 'From the fallback' });
    const completion = await adapter({ fallbackModel: 'gpt-4.1-nano' }).complete(ASK);
    expect(completion).to.deep.include({ text: 'From the fallback', model: 'gpt-4.1-nano' });
    expect(fake.completions.map((c) => c.model)).to.deep.equal(['gpt-4o-mini', 'gpt-4o-mini', 'gpt-4o-mini', 'gpt-4.1-nano']);
    expect(waits).to.deep.equal([500, 1000]);
  });

  it('when the key is refused (401), then it fails at once as invalid_key without retries or fallback', async () => {
    const err = await failure(adapter({ apiKey: 'sk-wrong', fallbackModel: 'gpt-4.1-nano' }).complete(ASK));
    expect(err.reason).to.equal('invalid_key');
    expect(err.message).to.match(/LLM_API_KEY/);
    expect(fake.requests).to.have.length(1);
  });

  it('when the request is rejected (400), then it fails as bad_request without retries', async () => {
    fake.respond({ error: { status: 400, message: 'context_length_exceeded' } });
    const err = await failure(adapter().complete(ASK));
    expect(err.reason).to.equal('bad_request');
    expect(fake.completions).to.have.length(1);
  });

  it('when the model never answers, then the call times out, is retried, and fails as timeout', async () => {
    fake.respond({ hang: true }, { hang: true });
    const err = await failure(adapter({ timeoutMs: 150, maxRetries: 1 }).complete(ASK));
    expect(err.reason).to.equal('timeout');
    expect(fake.completions).to.have.length(2);
  });

  it('when the fake is asked for tool calls, then the SDK reads them (for the agent runtime)', async () => {
    fake.respond({ toolCalls: [{ name: 'book_slot', arguments: { day: 'friday' } }], usage: { promptTokens: 10, completionTokens: 5 } });
    const client = new OpenAI({ apiKey: KEY, baseURL: fake.baseUrl });
    const response = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Book Friday' }] });
    const call = response.choices[0]!.message.tool_calls![0]!;
    expect(call.type === 'function' && call.function.name).to.equal('book_slot');
    expect(call.type === 'function' && JSON.parse(call.function.arguments)).to.deep.equal({ day: 'friday' });
    expect(response.choices[0]!.finish_reason).to.equal('tool_calls');
  });

  it('when Retry-After is an HTTP date, then it is read as the time until then', () => {
    const now = Date.parse('2030-01-01T00:00:00Z');
    expect(retryAfterMs('Tue, 01 Jan 2030 00:00:05 GMT', now)).to.equal(5000);
    expect(retryAfterMs('1.5')).to.equal(1500);
    expect(retryAfterMs(undefined)).to.equal(undefined);
  });
  it('when tools are offered and the model calls one, then the call comes back and the tool result goes out as a tool message', async () => {
    fake.respond({ toolCalls: [{ id: 'call_1', name: 'find_free_slots', arguments: { serviceId: 's1', from: '2030-01-02' } }] }, { reply: 'Tuesday 9:00 is free.' });
    const tools = [{ name: 'find_free_slots', description: 'Free slots', parameters: { type: 'object', properties: { serviceId: { type: 'string' } } } }];
    const first = await adapter().complete({ ...ASK, tools });
    expect(first.toolCalls).to.deep.equal([{ id: 'call_1', name: 'find_free_slots', arguments: '{"serviceId":"s1","from":"2030-01-02"}' }]);
    expect(fake.completions[0]!.tools!.map((t) => [t.type, t.function.name])).to.deep.equal([['function', 'find_free_slots']]);
    const second = await adapter().complete({
      messages: [...ASK.messages, { role: 'assistant', content: '', toolCalls: first.toolCalls }, { role: 'tool', toolCallId: 'call_1', content: '{"slots":[]}' }],
      tools,
    });
    expect(second).to.include({ text: 'Tuesday 9:00 is free.' });
    expect(second.toolCalls).to.deep.equal([]);
    const sent = fake.completions[1]!.messages;
    expect(sent[1]).to.deep.include({ role: 'assistant', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'find_free_slots', arguments: '{"serviceId":"s1","from":"2030-01-02"}' } }] });
    expect(sent[2]).to.deep.equal({ role: 'tool', tool_call_id: 'call_1', content: '{"slots":[]}' });
  });
});
