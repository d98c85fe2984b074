import type { Channel } from '../../ports/messaging.js';

export type TurnStatus = 'waiting' | 'running' | 'answered' | 'skipped' | 'failed';

/** One inbound turn of a conversation: the contact's message(s) the agent answers with at most one reply. */
export type AgentTurn = {
  id: string;
  agencyId: string;
  tenantId: string;
  agentId: string;
  conversationId: string;
  contactId: string;
  channel: Channel;
  firstMessageId: string;
  lastMessageId: string;
  inboundCount: number;
  status: TurnStatus;
  outcome: string | null;
  dueAt: Date;
  attempts: number;
  replyMessageId: string | null;
  replyText: string | null;
  toolCalls: ToolCallRecord[];
  model: string | null;
  inputTokens: number;
  outputTokens: number;
  estimatedCostMicros: number;
  llmMs: number;
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
};

/** A tool call the model made and what the backend answered (kept so later turns can use it). */
export type ToolCallRecord = { name: string; arguments: unknown; result: unknown; ok: boolean };
