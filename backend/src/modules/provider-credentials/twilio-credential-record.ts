import { z } from 'zod';
import { decryptSecret, encryptSecret } from '../../infra/crypto.js';
import type { CredentialRow } from './credential-repository.js';

// How Twilio credentials are kept: the account SID and auth token encrypted together; the numbers,
// the SID's last 4 and the missed-call threshold in plain metadata (shown in the portal, used for routing).
const secretShape = z.object({ accountSid: z.string(), authToken: z.string() });
/** The webhook URLs for the chosen numbers, and whether Switchboard set them at Twilio or they must be pasted. */
export const twilioWebhooks = z.object({
  smsUrl: z.string(),
  statusCallback: z.string(),
  configured: z.boolean(),
  note: z.string().nullable(),
});
export const twilioMetadata = z.object({
  accountSidLast4: z.string(),
  phoneNumbers: z.array(z.string()),
  missedCallMaxSeconds: z.number().int().nullable().default(null),
  /** Filled when the credentials were verified against Twilio (older rows have none). */
  accountName: z.string().nullable().default(null),
  availableNumbers: z.array(z.string()).default([]),
  webhooks: twilioWebhooks.nullable().default(null),
});
export type TwilioWebhooks = z.infer<typeof twilioWebhooks>;
export type TwilioMetadata = z.infer<typeof twilioMetadata>;

/** What adapters receive (adapters/messaging/twilio-rest.ts parses the same shape). */
export type TwilioCredentials = { accountSid: string; authToken: string; phoneNumbers: string[] };

export function sealTwilioSecret(key: Buffer, secret: { accountSid: string; authToken: string }): string {
  return encryptSecret(key, JSON.stringify(secretShape.parse(secret)));
}

export function openTwilioCredentials(key: Buffer, row: CredentialRow): TwilioCredentials & { metadata: TwilioMetadata } {
  const secret = secretShape.parse(JSON.parse(decryptSecret(key, row.secretCiphertext)));
  const metadata = twilioMetadata.parse(row.metadata);
  return { ...secret, phoneNumbers: metadata.phoneNumbers, metadata };
}
