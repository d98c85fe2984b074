import type { Channel } from '../../ports/messaging.js';

/** What the business tells its agent; the prompt quotes it and the agent may answer only from it. */
export type AgentFacts = {
  businessName?: string;
  services?: string;
  prices?: string;
  hours?: string;
  address?: string;
  faq?: { question: string; answer: string }[];
  tone?: string;
  language?: string;
  extra?: string;
};

/** Behaviour guards, per agent (defaults in DEFAULT_AGENT_SETTINGS). */
export type AgentSettings = {
  /** Quick-fire batching: wait this long after a message for more before answering. */
  batchWindowMs: number;
  /** ... but never longer than this after the first message of the batch. */
  maxBatchWaitMs: number;
  /** Loop breaker: agent replies in a row without a new human message in between (per conversation, since the last staff reply). */
  maxRepliesWithoutHuman: number;
  /** Human takeover: after a staff reply the agent stays quiet this long (0 = until released). */
  takeoverMinutes: number;
  /** Model override (default: the backend's LLM_MODEL / the tenant's AI setting). */
  model?: string;
  /** Recent messages quoted verbatim; older ones are summarised. */
  recentMessages: number;
  maxOutputTokens: number;
};

export const DEFAULT_AGENT_SETTINGS: AgentSettings = {
  batchWindowMs: 4_000,
  maxBatchWaitMs: 20_000,
  maxRepliesWithoutHuman: 12,
  takeoverMinutes: 120,
  recentMessages: 12,
  maxOutputTokens: 400,
};

export type Agent = {
  id: string;
  agencyId: string;
  tenantId: string;
  name: string;
  purpose: string;
  channels: Channel[];
  enabled: boolean;
  settings: AgentSettings;
  /** Public key of the web chat widget (not a secret: it identifies the agent on a web page). */
  webKey: string;
  lastError: string | null;
  lastErrorAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
};

export type PromptStatus = 'draft' | 'active' | 'archived';

export type PromptVersion = {
  id: string;
  agentId: string;
  version: number;
  status: PromptStatus;
  facts: AgentFacts;
  instructions: string;
  note: string | null;
  createdBy: string | null;
  createdAt: Date;
  publishedAt: Date | null;
};
