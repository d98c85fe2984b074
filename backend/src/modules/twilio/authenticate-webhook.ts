import twilio from 'twilio';
import type { ScopedDeps } from '../../db/scoped-deps.js';
import { findCredential } from '../provider-credentials/credential-repository.js';
import { resolveNumberOwner } from '../provider-credentials/resolve-number-owner.js';
import { openTwilioCredentials, type TwilioMetadata } from '../provider-credentials/twilio-credential-record.js';
import type { WebhookSigner, WebhookSignerCache } from './webhook-signer-cache.js';

export type WebhookAuthDeps = ScopedDeps & { encryptionKey: Buffer; publicUrl: string; signerCache?: WebhookSignerCache };
export type AuthenticatedWebhook = { agencyId: string; tenantId: string; ourNumber: string; metadata: TwilioMetadata };

type Input = { originalUrl: string; signature: string | undefined; params: Record<string, unknown>; ourNumberCandidates: (string | undefined)[] };

/**
 * Who a Twilio webhook is for, and whether Twilio really sent it. The tenant comes from our number in
 * the request; the X-Twilio-Signature must be the HMAC of PUBLIC_URL + the original path and query
 * (what Twilio was given; behind the proxy our Host is internal) with that tenant's auth token.
 * Undefined for anything that does not check out: the caller answers 403 and stores nothing.
 */
export async function authenticateTwilioWebhook(deps: WebhookAuthDeps, input: Input): Promise<AuthenticatedWebhook | undefined> {
  if (!input.signature) return undefined;
  const cached = cachedSigner(deps, input);
  if (cached && verifies(deps, cached, input)) return authenticated(cached);
  // Not cached, or it did not verify with cached credentials: ask the database (tokens get rotated).
  const fresh = await loadSigner(deps, input.ourNumberCandidates);
  return fresh && verifies(deps, fresh, input) ? authenticated(fresh) : undefined;
}

function cachedSigner(deps: WebhookAuthDeps, input: Input): WebhookSigner | undefined {
  for (const address of input.ourNumberCandidates) {
    const hit = address ? deps.signerCache?.get(address) : undefined;
    if (hit?.signer) return hit.signer;
  }
  return undefined;
}

async function loadSigner(deps: WebhookAuthDeps, candidates: (string | undefined)[]): Promise<WebhookSigner | undefined> {
  const owner = await resolveNumberOwner(deps, { provider: 'twilio', addresses: candidates });
  if (!owner) return undefined;
  const row = await deps.runInScope({ agencyId: owner.agencyId, tenantId: owner.tenantId }, (tx) =>
    findCredential(tx, { tenantId: owner.tenantId, provider: 'twilio' }),
  );
  const signer = row && { ...owner, credentials: openTwilioCredentials(deps.encryptionKey, row) };
  if (signer) deps.signerCache?.set(owner.address, signer);
  else deps.signerCache?.forget(owner.address);
  return signer;
}

function verifies(deps: WebhookAuthDeps, signer: WebhookSigner, input: Input): boolean {
  const url = `${deps.publicUrl.replace(/\/+$/, '')}${input.originalUrl}`;
  if (!twilio.validateRequest(signer.credentials.authToken, input.signature!, url, input.params)) return false;
  return input.params.AccountSid === undefined || input.params.AccountSid === signer.credentials.accountSid;
}

function authenticated(signer: WebhookSigner): AuthenticatedWebhook {
  return { agencyId: signer.agencyId, tenantId: signer.tenantId, ourNumber: signer.address, metadata: signer.credentials.metadata };
}
