import { z } from 'zod';
import { isoDateTime, pagination, uuid } from '../../http/schemas.js';
import { e164 } from '../provider-credentials/schemas.js';
import { CALL_STATUSES } from './call-status.js';

export const callIdParams = z.strictObject({ callId: uuid });
export const listCallsQuery = z.strictObject({
  direction: z.enum(['inbound', 'outbound']).optional(),
  outcome: z.enum(['missed', 'completed']).optional(),
  ...pagination,
});
export const placeCallBody = z.strictObject({
  to: e164,
  /** One of the tenant's connected numbers; default the first. */
  from: e164.optional(),
  message: z.string().trim().min(1).max(1000),
  language: z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'a language tag like en-US').optional(),
});

export const callView = z.object({
  id: uuid,
  provider: z.string(),
  providerCallId: z.string().nullable(),
  direction: z.enum(['inbound', 'outbound']),
  from: z.string(),
  to: z.string(),
  status: z.enum(CALL_STATUSES),
  durationSeconds: z.number().int().nullable(),
  spokenMessage: z.string().nullable(),
  outcome: z.enum(['missed', 'completed']).nullable(),
  /** A "Send a test missed call" replay, not a real call. */
  isTest: z.boolean(),
  startedAt: isoDateTime.nullable(),
  answeredAt: isoDateTime.nullable(),
  endedAt: isoDateTime.nullable(),
  createdAt: isoDateTime,
});
/** The messages the missed-call automation sent for a call (WhatsApp first, SMS as the fallback). */
const followUpView = z.object({
  messageId: uuid, channel: z.string(), status: z.string(), at: isoDateTime,
  reason: z.object({ code: z.string(), message: z.string() }).nullable().describe('The send policy reason (why denied, deferred or allowed)'),
  deferredUntil: isoDateTime.nullable(),
  error: z.string().nullable().describe("The provider's error when the message failed"),
});
const followUpStateView = z.object({
  state: z.enum(['none', 'pending', 'running', 'sent', 'failed', 'not_run']),
  failure: z.object({
    workflowName: z.string().nullable(), node: z.string().nullable(), errorMessage: z.string(), executionUrl: z.string().nullable(), occurredAt: isoDateTime,
  }).nullable().describe("The automation's failure (n8n's error workflow) linked to this call"),
});
export const callListView = z.object({ calls: z.array(callView.extend({ followUps: z.array(followUpView), followUp: followUpStateView })) });
