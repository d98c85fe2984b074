import { z } from 'zod';
import { isoDateTime } from '../../http/schemas.js';

const modelName = z.string().trim().min(1, 'Enter a model name, e.g. gpt-4o-mini').max(100);

export const providerSettingsBody = z.strictObject({
  baseUrl: z.url({ protocol: /^https?$/, error: 'Enter the API base URL, e.g. https://api.openai.com/v1' }).max(500),
  /** Omit to keep the saved key (changing only the model). */
  apiKey: z.string().trim().min(8, 'Enter the API key').max(500).optional(),
  model: modelName,
  fallbackModel: modelName.nullable().optional(),
});
export type ProviderSettingsBody = z.infer<typeof providerSettingsBody>;

const lastTest = z.object({ at: isoDateTime, ok: z.boolean(), error: z.string().nullable() }).nullable();

// Never the key: its last 4 characters only.
export const providerSettingsView = z.object({
  level: z.enum(['agency', 'tenant']),
  baseUrl: z.string(),
  apiKeyLast4: z.string(),
  model: z.string(),
  fallbackModel: z.string().nullable(),
  lastTest,
  updatedAt: isoDateTime,
});
export type ProviderSettingsView = z.infer<typeof providerSettingsView>;

export const providerOverview = z.object({
  saved: providerSettingsView.nullable().describe('The settings saved at this level (null: none)'),
  effective: z.object({
    source: z.enum(['tenant', 'agency', 'environment', 'none']).describe('Where the model in use comes from'),
    baseUrl: z.string().nullable(),
    model: z.string().nullable(),
    fallbackModel: z.string().nullable(),
    lastTest,
  }),
});
export type ProviderOverview = z.infer<typeof providerOverview>;

export const providerTestResult = z.object({
  ok: z.literal(true),
  source: z.enum(['tenant', 'agency', 'environment']),
  model: z.string().describe('The model that answered (the fallback when the primary failed)'),
  answer: z.string(),
  testedAt: isoDateTime,
});
export type ProviderTestResult = z.infer<typeof providerTestResult>;
