import { z } from 'zod';
import { isoDateTime, uuid } from '../../http/schemas.js';
import { ALERT_KINDS } from './alert-conditions.js';
import { DEAD_LETTER_KINDS } from './dead-letter-repository.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Inbound deliveries have numeric ids; messages and webhook deliveries have uuids.
export const deadLetterParams = z
  .strictObject({ kind: z.enum(DEAD_LETTER_KINDS), id: z.string().min(1).max(36) })
  .refine((p) => (p.kind === 'inbound' ? /^[1-9]\d{0,17}$/.test(p.id) : UUID.test(p.id)), {
    path: ['id'], message: 'must be a number for inbound items, a uuid otherwise',
  });

export const deadLetterOutcomeView = z.object({
  kind: z.enum(DEAD_LETTER_KINDS),
  id: z.string(),
  outcome: z.enum(['retried', 'discarded', 'already_retried', 'already_discarded']),
});

const status = z.enum(['ok', 'degraded', 'down']);
const tenantRef = { tenantId: uuid.nullable(), tenantName: z.string().nullable() };

export const systemHealthView = z.object({
  generatedAt: isoDateTime,
  alerts: z.array(z.object({
    id: uuid, kind: z.enum(ALERT_KINDS), subjectKey: z.string(), ...tenantRef, detail: z.string(),
    openedAt: isoDateTime, resolvedAt: isoDateTime.nullable(), lastNotifiedAt: isoDateTime.nullable(),
  })).describe('Open alerts, oldest first'),
  services: z.array(z.object({ name: z.enum(['api', 'worker', 'postgres', 'redis', 'n8n']), status, detail: z.string() })),
  queues: z.array(z.object({
    name: z.string(), label: z.string(), pending: z.number().int(), oldestAgeSeconds: z.number().int().nullable(), stuck: z.boolean(),
  })).describe("The agency's due work per queue"),
  sendQueues: z.array(z.object({
    channel: z.string(), waiting: z.number().int(), active: z.number().int(), delayed: z.number().int(), failed: z.number().int(),
  })).nullable().describe('The bull send queues of this installation (all agencies); null when Redis did not answer'),
  deadLetters: z.array(z.object({
    kind: z.enum(DEAD_LETTER_KINDS), id: z.string(), ...tenantRef, summary: z.string(), error: z.string().nullable(),
    failedAt: isoDateTime, attempts: z.number().int(),
  })),
  whatsappRescans: z.array(z.object({
    tenantId: uuid, tenantName: z.string(), state: z.enum(['logged_out', 'qr']), lastError: z.string().nullable(), since: isoDateTime,
  })),
  webhookFailures: z.array(z.object({ provider: z.string(), failures: z.number().int(), lastAt: isoDateTime }))
    .describe('Rejected webhook signatures in the last 24 hours, per provider'),
  automationFailures: z.array(z.object({
    id: uuid, ...tenantRef, workflowId: z.string(), workflowName: z.string().nullable(), executionId: z.string().nullable(),
    node: z.string().nullable(), errorMessage: z.string(), occurredAt: isoDateTime,
  })).describe('n8n executions that failed in the last 24 hours'),
  disk: z.union([
    z.object({ path: z.string(), totalBytes: z.number(), freeBytes: z.number(), usedPercent: z.number() }),
    z.object({ path: z.string(), error: z.string() }),
  ]),
  backup: z.object({
    state: z.enum(['ok', 'failed', 'stale', 'never', 'unreadable', 'unconfigured']), detail: z.string(),
    lastSuccessAt: isoDateTime.nullable().optional(), lastFailureAt: isoDateTime.nullable().optional(), lastError: z.string().nullable().optional(),
    file: z.string().nullable().optional(), bytes: z.number().nullable().optional(),
  }),
  version: z.object({ app: z.string(), pendingMigrations: z.array(z.string()).nullable(), detail: z.string() }),
  dataError: z.string().nullable(),
});
