import { z } from 'zod';
import { isoDateTime, uuid } from '../../http/schemas.js';

const label = z.string().regex(/^[a-z0-9_-]{1,40}$/, 'lowercase words joined by _ or -, e.g. interested');

export const generateBody = z
  .strictObject({
    task: z.enum(['reply_draft', 'summary', 'classify']),
    text: z.string().trim().min(1).max(20_000),
    context: z.string().max(20_000).optional(),
    labels: z.array(label).min(2).max(50).refine((all) => new Set(all).size === all.length, 'must not repeat a label').optional(),
    instructions: z.string().max(2000).optional(),
    maxOutputTokens: z.number().int().min(1).max(4000).optional(),
    reference: z.string().max(200).optional().describe('Stored on the usage row, e.g. the n8n execution id'),
  })
  .refine((b) => (b.task === 'classify') === (b.labels !== undefined), {
    message: 'labels are required for classify and only allowed there',
    path: ['labels'],
  });

export const generatedView = z.object({
  task: z.enum(['reply_draft', 'summary', 'classify']),
  text: z.string(),
  label: z.string().nullable().describe('classify only: the answer matched to one of the labels'),
  model: z.string(),
  usage: z.object({ inputTokens: z.number().int(), outputTokens: z.number().int(), estimatedCostUsd: z.number() }),
  usageEventId: uuid,
});

export const aiSettingsBody = z.strictObject({
  model: z.string().trim().min(1).max(100).nullable(),
  instructions: z.string().max(4000).nullable(),
});

export const aiSettingsView = z.object({
  model: z.string().nullable().describe('null: the installation default (LLM_MODEL)'),
  instructions: z.string().nullable(),
  updatedAt: isoDateTime.nullable(),
});
