import { z } from 'zod';
import { isoDateTime, pagination, uuid } from '../../http/schemas.js';

const workflowId = z.string().trim().min(1).max(64);
const executionId = z.string().trim().min(1).max(64);
const name = z.string().trim().min(1).max(200);

export const runStartBody = z.strictObject({
  workflowId, workflowName: name.nullish(), executionId,
  eventId: z.string().trim().min(1).max(100).nullish().describe('The Switchboard event the execution was started by'),
  callId: uuid.nullish(), contactId: uuid.nullish(), messageId: uuid.nullish(),
});
export const runView = z.object({
  id: uuid, workflowId: z.string(), workflowName: z.string().nullable(), executionId: z.string(), eventId: z.string().nullable(),
  callId: uuid.nullable(), contactId: uuid.nullable(), messageId: uuid.nullable(), startedAt: isoDateTime,
});

export const failureReportBody = z.strictObject({
  workflowId, workflowName: name.nullish(),
  executionId: executionId.nullish().describe("n8n's execution id (absent when the trigger itself failed)"),
  executionUrl: z.string().trim().url().max(1000).nullish(),
  node: name.nullish().describe('The node that failed (n8n: lastNodeExecuted)'),
  errorMessage: z.string().trim().min(1).max(10_000),
});
export const failureView = z.object({
  id: uuid, tenantId: uuid.nullable(), workflowId: z.string(), workflowName: z.string().nullable(), executionId: z.string().nullable(),
  executionUrl: z.string().nullable(), node: z.string().nullable(), errorMessage: z.string(), callId: uuid.nullable(),
  contactId: uuid.nullable(), messageId: uuid.nullable(), occurredAt: isoDateTime,
});
export const failureListQuery = z.strictObject({ ...pagination });
export const failureListView = z.object({ failures: z.array(failureView.omit({ tenantId: true })) });
