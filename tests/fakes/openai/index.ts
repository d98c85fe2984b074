export { FakeOpenAI, type FakeOpenAiOptions } from './fake-openai.js';
export type { ChatMessage, ChatRequest, Match, Responder, ScriptedResponse, ToolCall, Usage } from './scripts.js';
