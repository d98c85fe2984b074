import { z } from 'zod';
import { uuid } from '../../http/schemas.js';
import { FLAG_KEYS } from './flag-registry.js';

export const flagKeyParams = z.strictObject({ flagKey: z.enum(FLAG_KEYS) });
export const setOverrideBody = z.strictObject({
  scope: z.discriminatedUnion('level', [
    z.strictObject({ level: z.literal('global') }),
    z.strictObject({ level: z.literal('tenant'), tenantId: uuid }),
    z.strictObject({ level: z.literal('user'), userId: uuid }),
  ]),
  enabled: z.boolean().nullable().describe('true/false sets the override; null clears it'),
});

const flagView = z.object({
  key: z.enum(FLAG_KEYS),
  description: z.string(),
  stage: z.enum(['alpha', 'beta', 'ga']),
  enabled: z.boolean(),
  source: z.enum(['default', 'global', 'tenant', 'user', 'plan']),
});
export const featuresView = z.object({ flags: z.array(flagView) });
const overrideView = z.object({ id: uuid, flagKey: z.string(), tenantId: uuid.nullable(), userId: uuid.nullable(), enabled: z.boolean() });
export const overrideResultView = z.object({ override: overrideView.nullable() });
export const flagAdminView = z.object({
  flags: z.array(z.object({ key: z.string(), description: z.string(), stage: z.string(), defaultEnabled: z.boolean() })),
  overrides: z.array(overrideView),
});
