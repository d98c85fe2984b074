import type { TwilioCredentials, TwilioMetadata } from '../provider-credentials/twilio-credential-record.js';

/** Who owns one of our numbers and the credentials that sign its webhooks. */
export type WebhookSigner = { agencyId: string; tenantId: string; address: string; credentials: TwilioCredentials & { metadata: TwilioMetadata } };

/**
 * Number -> signer, kept for a few seconds: a burst of webhooks to one number needs one routing lookup
 * and one decryption, not one per request. Only ever filled from the database, and a signature that does
 * not verify against a cached entry is checked again against fresh credentials (a rotated auth token works
 * at once). A disconnected number keeps verifying with its old token for at most `ttlMs`.
 */
export class WebhookSignerCache {
  private readonly entries = new Map<string, { signer: WebhookSigner | undefined; expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(address: string): { signer: WebhookSigner | undefined } | undefined {
    const entry = this.entries.get(address);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(address);
      return undefined;
    }
    return { signer: entry.signer };
  }

  set(address: string, signer: WebhookSigner | undefined): void {
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(address, { signer, expiresAt: this.now() + this.ttlMs });
  }

  forget(address: string): void {
    this.entries.delete(address);
  }
}
