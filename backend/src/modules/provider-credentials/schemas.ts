import { z } from 'zod';
import { isoDateTime } from '../../http/schemas.js';

export const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 phone number, e.g. +14155550123');

export const putTwilioCredentialsBody = z.strictObject({
  accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'must be a Twilio account SID (AC + 32 hex digits)'),
  authToken: z.string().trim().min(16).max(128),
  phoneNumbers: z.array(e164).min(1).max(20).refine((list) => new Set(list).size === list.length, 'must not repeat a number'),
  /** A call shorter than this (seconds) counts as missed; default MISSED_CALL_MAX_SECONDS. */
  missedCallMaxSeconds: z.number().int().min(0).max(600).optional(),
});

// Never the token, never the full SID.
export const twilioCredentialsView = z.object({
  provider: z.literal('twilio'),
  accountSidLast4: z.string(),
  phoneNumbers: z.array(z.string()),
  missedCallMaxSeconds: z.number().int().nullable(),
  updatedAt: isoDateTime,
});
export type TwilioCredentialsView = z.infer<typeof twilioCredentialsView>;
