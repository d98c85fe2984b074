import twilio from 'twilio';
import type { ScopedDeps } from '../../db/scoped-deps.js';
import { findCredential } from '../provider-credentials/credential-repository.js';
import { resolveNumberOwner } from '../provider-credentials/resolve-number-owner.js';
import { openTwilioCredentials, type TwilioMetadata } from '../provider-credentials/twilio-credential-record.js';

export type WebhookAuthDeps = ScopedDeps & { encryptionKey: Buffer; publicUrl: string };
export type AuthenticatedWebhook = { agencyId: string; tenantId: string; ourNumber: string; metadata: TwilioMetadata };

/**
 * Who a Twilio webhook is for, and whether Twilio really sent it. The tenant comes from our number in
 * the request; the X-Twilio-Signature must be the HMAC of PUBLIC_URL + the original path and query
 * (what Twilio was given; behind the proxy our Host is internal) with that tenant's auth token.
 * Undefined for anything that does not check out: the caller answers 403 and stores nothing.
 */
export async function authenticateTwilioWebhook(
  deps: WebhookAuthDeps,
  input: { originalUrl: string; signature: string | undefined; params: Record<string, unknown>; ourNumberCandidates: (string | undefined)[] },
): Promise<AuthenticatedWebhook | undefined> {
  if (!input.signature) return undefined;
  const owner = await resolveNumberOwner(deps, { provider: 'twilio', addresses: input.ourNumberCandidates });
  if (!owner) return undefined;
  const row = await deps.runInScope({ agencyId: owner.agencyId, tenantId: owner.tenantId }, (tx) =>
    findCredential(tx, { tenantId: owner.tenantId, provider: 'twilio' }),
  );
  if (!row) return undefined;
  const credentials = openTwilioCredentials(deps.encryptionKey, row);
  const url = `${deps.publicUrl.replace(/\/+$/, '')}${input.originalUrl}`;
  if (!twilio.validateRequest(credentials.authToken, input.signature, url, input.params)) return undefined;
  if (input.params.AccountSid !== undefined && input.params.AccountSid !== credentials.accountSid) return undefined;
  return { agencyId: owner.agencyId, tenantId: owner.tenantId, ourNumber: owner.address, metadata: credentials.metadata };
}
