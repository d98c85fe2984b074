import { z } from 'zod';
import { decryptSecret, encryptSecret } from '../../infra/crypto.js';
import type { CredentialRow } from './credential-repository.js';

// How Twilio credentials are kept: the account SID and auth token encrypted together; the numbers,
// the SID's last 4 and the missed-call threshold in plain metadata (shown in the portal, used for routing).
const secretShape = z.object({ accountSid: z.string(), authToken: z.string() });
export const twilioMetadata = z.object({
  accountSidLast4: z.string(),
  phoneNumbers: z.array(z.string()),
  missedCallMaxSeconds: z.number().int().nullable().default(null),
});
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
