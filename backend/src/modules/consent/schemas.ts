import { z } from 'zod';
import { isoDateTime, pagination, uuid } from '../../http/schemas.js';
import { CHANNELS } from '../../ports/messaging.js';

const channel = z.enum(CHANNELS);
const evidence = z
  .record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'evidence keys are simple names, e.g. formId'), z.union([z.string().max(1000), z.number(), z.boolean()]))
  .refine((value) => Object.keys(value).length <= 20, 'at most 20 evidence fields');

export const CONSENT_SOURCES = ['form', 'web', 'call', 'verbal', 'import', 'manual', 'api', 'keyword'] as const;

export const recordConsentBody = z
  .strictObject({
    channel,
    kind: z.enum(['opt_in', 'opt_out']),
    source: z.enum(CONSENT_SOURCES),
    wording: z.string().trim().min(1).max(2000).optional(),
    evidence: evidence.optional(),
    keyword: z.string().trim().min(1).max(40).optional(),
    occurredAt: isoDateTime.optional(),
  })
  .refine((b) => b.kind === 'opt_out' || !!b.wording || Object.keys(b.evidence ?? {}).length > 0, {
    message: 'an opt-in needs its evidence: the exact wording shown, or evidence such as formId or callId',
    path: ['wording'],
  })
  .refine((b) => !b.occurredAt || Date.parse(b.occurredAt) <= Date.now() + 5 * 60_000, { message: 'cannot be in the future', path: ['occurredAt'] });

export const consentHistoryQuery = z.strictObject({ ...pagination });

export const channelConsentView = z.object({
  channel,
  state: z.enum(['opted_in', 'opted_out', 'unknown']),
  since: isoDateTime.nullable(),
  source: z.string().nullable(),
});

export const consentEventView = z.object({
  id: uuid,
  contactId: uuid,
  channel,
  kind: z.enum(['opt_in', 'opt_out']),
  source: z.string(),
  wording: z.string().nullable(),
  evidence: z.record(z.string(), z.unknown()).nullable(),
  keyword: z.string().nullable(),
  messageId: uuid.nullable(),
  actor: z.object({ type: z.string(), id: z.string().nullable() }),
  occurredAt: isoDateTime,
  createdAt: isoDateTime,
});

export const recordedConsentView = z.object({ event: consentEventView, consent: z.array(channelConsentView) });
export const consentHistoryView = z.object({ current: z.array(channelConsentView), events: z.array(consentEventView) });
