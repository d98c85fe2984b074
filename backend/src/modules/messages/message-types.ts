import type { Channel } from '../../ports/messaging.js';
import type { PolicyDecision, SendPurpose } from '../policy/policy-types.js';

export const MESSAGE_STATUSES = ['received', 'queued', 'sending', 'sent', 'delivered', 'read', 'failed', 'undelivered', 'deferred', 'denied', 'dead'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export type MessageTemplate = { name: string; language?: string; variables?: Record<string, string> };

export type Message = {
  id: string;
  tenantId: string;
  conversationId: string;
  contactId: string;
  direction: 'inbound' | 'outbound';
  channel: Channel;
  from: string | null;
  to: string | null;
  body: string | null;
  template: MessageTemplate | null;
  purpose: SendPurpose;
  source: string;
  status: MessageStatus;
  policy: {
    decision: PolicyDecision; reason: { code: string; message: string }; until: string | null;
    /** A reply: the inbound call or message that opened the reply window. */
    evidence: { kind: 'call' | 'message'; id: string; at: string } | null;
  } | null;
  idempotencyKey: string | null;
  provider: string | null;
  providerMessageId: string | null;
  error: { code: string | null; message: string | null } | null;
  attempts: number;
  queuedAt: string | null;
  sentAt: string | null;
  deliveredAt: string | null;
  readAt: string | null;
  failedAt: string | null;
  receivedAt: string | null;
  createdAt: string;
  updatedAt: string;
};

export type StatusChange = { status: MessageStatus; at: string; errorCode: string | null; detail: string | null };

export type Conversation = {
  id: string;
  tenantId: string;
  contactId: string;
  channel: Channel;
  lastMessageAt: string | null;
  lastInboundAt: string | null;
  createdAt: string;
};
