import { z } from 'zod';
import { isoDateTime } from '../../http/schemas.js';
import { twilioWebhooks } from './twilio-credential-record.js';

export const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 phone number, e.g. +14155550123');

export const putTwilioCredentialsBody = z.strictObject({
  accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'must be a Twilio account SID (AC + 32 hex digits)'),
  authToken: z.string().trim().min(16).max(128),
  /** Numbers of this Twilio account to use; leave out to verify the account and pick one next (PUT …/twilio/number). */
  phoneNumbers: z.array(e164).min(1).max(20).refine((list) => new Set(list).size === list.length, 'must not repeat a number').optional(),
  /** A call shorter than this (seconds) counts as missed; default MISSED_CALL_MAX_SECONDS. */
  missedCallMaxSeconds: z.number().int().min(0).max(600).optional(),
});

// Never the token, never the full SID.
export const twilioCredentialsView = z.object({
  provider: z.literal('twilio'),
  accountSidLast4: z.string(),
  phoneNumbers: z.array(z.string()),
  missedCallMaxSeconds: z.number().int().nullable(),
  /** The account's friendly name at Twilio, its numbers, and the webhooks of the chosen ones. */
  accountName: z.string().nullable(),
  availableNumbers: z.array(z.string()),
  webhooks: twilioWebhooks.nullable(),
  updatedAt: isoDateTime,
});

export const chooseTwilioNumberBody = z.strictObject({ phoneNumber: e164 });
export const testMissedCallBody = z.strictObject({
  /** Your own mobile to receive the text-back; default a reserved fictional number (+1 312 555 01xx) that no phone has. */
  callerNumber: e164.optional(),
});
export const testMissedCallView = z.object({
  test: z.literal(true),
  callSid: z.string(),
  from: z.string(),
  to: z.string(),
  message: z.string(),
});
export type TwilioCredentialsView = z.infer<typeof twilioCredentialsView>;
