import { z } from 'zod';
import { CHANNELS } from '../../ports/messaging.js';

const uuid = z.uuid();
export const agentIdParams = z.strictObject({ agentId: uuid });
export const versionParams = z.strictObject({ agentId: uuid, version: z.coerce.number().int().min(1) });

const settings = z.strictObject({
  batchWindowMs: z.number().int().min(0).max(60_000),
  maxBatchWaitMs: z.number().int().min(0).max(300_000),
  maxRepliesWithoutHuman: z.number().int().min(1).max(200),
  takeoverMinutes: z.number().int().min(0).max(7 * 24 * 60),
  model: z.string().min(1).max(100),
  recentMessages: z.number().int().min(2).max(50),
  maxOutputTokens: z.number().int().min(50).max(4000),
}).partial();

const agentFields = {
  name: z.string().trim().min(1).max(100),
  purpose: z.string().trim().max(500),
  channels: z.array(z.enum(CHANNELS)).max(CHANNELS.length).refine((list) => new Set(list).size === list.length, 'channels must not repeat'),
  enabled: z.boolean(),
  settings,
};
export const createAgentBody = z.strictObject({ ...agentFields, purpose: agentFields.purpose.default(''), enabled: z.boolean().default(true), settings: settings.default({}) });
export const editAgentBody = z.strictObject(agentFields).partial().refine((edit) => Object.keys(edit).length > 0, 'nothing to change');

const text = (max: number) => z.string().trim().max(max).optional();
export const factsSchema = z.strictObject({
  businessName: text(200), services: text(3000), prices: text(3000), hours: text(1000), address: text(500),
  faq: z.array(z.strictObject({ question: z.string().trim().min(1).max(500), answer: z.string().trim().min(1).max(2000) })).max(50).optional(),
  tone: text(300), language: text(50), extra: text(4000),
});
export const draftBody = z.strictObject({ facts: factsSchema, instructions: z.string().max(8000).default(''), note: z.string().max(500).optional() });
export const rollbackBody = z.strictObject({ version: z.number().int().min(1).optional() });
export const diffQuery = z.strictObject({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1) });
export const turnsQuery = z.strictObject({ conversationId: uuid.optional(), limit: z.coerce.number().int().min(1).max(200).default(50) });
export const conversationParams = z.strictObject({ conversationId: uuid });
export const pauseBody = z.strictObject({ minutes: z.number().int().min(1).max(30 * 24 * 60).optional(), reason: z.string().max(200).optional() });
export const templateBody = z.strictObject({ template: z.string().trim().min(20).max(8000) });

const agentView = z.object({
  id: z.string(), name: z.string(), purpose: z.string(), channels: z.array(z.string()), enabled: z.boolean(), settings: z.record(z.string(), z.unknown()),
  webKey: z.string(), activeVersion: z.number().nullable(), lastError: z.string().nullable(), lastErrorAt: z.string().nullable(),
});
export const agentResponse = agentView;
export const agentListResponse = z.object({ agents: z.array(agentView) });
const versionView = z.object({
  version: z.number(), status: z.string(), facts: z.record(z.string(), z.unknown()), instructions: z.string(), note: z.string().nullable(),
  createdBy: z.string().nullable(), createdAt: z.string(), publishedAt: z.string().nullable(),
});
export const versionResponse = versionView;
export const versionListResponse = z.object({ versions: z.array(versionView) });

type WithDates = { createdAt: Date | string; publishedAt?: Date | string | null; lastErrorAt?: Date | string | null };
const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

export function agentJson<T extends { lastErrorAt: Date | null; createdAt: Date; updatedAt: Date; agencyId: string; tenantId: string }>(agent: T) {
  const { agencyId: _a, tenantId: _t, createdAt: _c, updatedAt: _u, ...rest } = agent;
  return { ...rest, lastErrorAt: iso(agent.lastErrorAt) };
}

export function versionJson<T extends WithDates & { id: string; agentId: string }>(version: T) {
  const { id: _id, agentId: _agent, ...rest } = version;
  return { ...rest, createdAt: iso(version.createdAt)!, publishedAt: iso(version.publishedAt) };
}
