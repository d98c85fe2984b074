import { z } from 'zod';
import { idempotencyKey } from '../../http/idempotency-key.js';
import { isoDateTime, pagination, uuid } from '../../http/schemas.js';
import { CHANNELS } from '../../ports/messaging.js';
import { MESSAGE_STATUSES } from './message-types.js';

const channel = z.enum(CHANNELS);
export { idempotencyKey };
const template = z.strictObject({
  name: z.string().trim().min(1).max(200),
  language: z.string().regex(/^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})?$/, 'a language tag, e.g. en or pt_BR').optional(),
  variables: z.record(z.string().regex(/^[A-Za-z0-9_]{1,64}$/), z.string().max(1000)).optional(),
});

export const sendMessageBody = z
  .strictObject({
    contactId: uuid.optional(),
    to: z.string().trim().min(3).max(32).optional(),
    channel,
    body: z.string().min(1).max(1600).optional(),
    template: template.optional(),
    idempotencyKey: idempotencyKey.optional(),
  })
  .refine((b) => !!b.contactId !== !!b.to, { message: 'give exactly one of contactId and to', path: ['contactId'] })
  .refine((b) => !!b.body || !!b.template, { message: 'give a body or a template', path: ['body'] });

export const messageIdParams = z.strictObject({ messageId: uuid });
export const conversationIdParams = z.strictObject({ conversationId: uuid });
export const listConversationsQuery = z.strictObject({ contactId: uuid.optional(), channel: channel.optional(), ...pagination });
export const pageQuery = z.strictObject({ ...pagination });

const policyView = z.object({
  decision: z.enum(['allow', 'defer', 'deny']),
  reason: z.object({ code: z.string(), message: z.string() }),
  until: isoDateTime.nullable(),
  evidence: z.object({ kind: z.enum(['call', 'message']), id: uuid, at: isoDateTime }).nullable()
    .describe("A reply: the contact's inbound call or message that opened the reply window (absent for other decisions)"),
});

export const messageView = z.object({
  id: uuid,
  conversationId: uuid,
  contactId: uuid,
  direction: z.enum(['inbound', 'outbound']),
  channel,
  from: z.string().nullable(),
  to: z.string().nullable(),
  body: z.string().nullable(),
  template: z.object({ name: z.string(), language: z.string().optional(), variables: z.record(z.string(), z.string()).optional() }).nullable(),
  purpose: z.string(),
  source: z.string(),
  status: z.enum(MESSAGE_STATUSES),
  policy: policyView.nullable().describe('The send policy decision and its reason (outbound only)'),
  idempotencyKey: z.string().nullable(),
  provider: z.string().nullable(),
  providerMessageId: z.string().nullable(),
  error: z.object({ code: z.string().nullable(), message: z.string().nullable() }).nullable(),
  attempts: z.number().int(),
  queuedAt: isoDateTime.nullable(),
  sentAt: isoDateTime.nullable(),
  deliveredAt: isoDateTime.nullable(),
  readAt: isoDateTime.nullable(),
  failedAt: isoDateTime.nullable(),
  receivedAt: isoDateTime.nullable(),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
});
export const messageDetailView = messageView.extend({
  history: z.array(z.object({ status: z.enum(MESSAGE_STATUSES), at: isoDateTime, errorCode: z.string().nullable(), detail: z.string().nullable() })),
});
export const messageListView = z.object({ messages: z.array(messageView) });

export const conversationView = z.object({
  id: uuid,
  contactId: uuid,
  channel,
  lastMessageAt: isoDateTime.nullable(),
  lastInboundAt: isoDateTime.nullable(),
  createdAt: isoDateTime,
});
export const conversationListView = z.object({ conversations: z.array(conversationView) });
