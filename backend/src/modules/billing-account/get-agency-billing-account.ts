import type { Actor } from '../../http/request-context.js';
import type { BillingAccountDeps } from './billing-account-deps.js';
import { findBillingSettings, type BillingSettingsRow } from './billing-settings-repository.js';
import type { BillingAccountView } from './schemas.js';

const modeOf = (secretKey: string): 'test' | 'live' => (secretKey.includes('_live_') ? 'live' : 'test');

/** What Stripe account the agency's plans use: its own (saved), the env's, or none; never a secret. */
export function billingAccountView(row: BillingSettingsRow | undefined, billing: BillingAccountDeps['billing']): BillingAccountView {
  const settings = { currency: row?.currency ?? 'usd', graceDays: row?.graceDays ?? 7, selfSignupEnabled: row?.selfSignupEnabled ?? false, updatedAt: row?.updatedAt ?? null };
  if (row?.stripeSecretCiphertext) {
    return { source: 'agency', secretKeyLast4: row.secretLast4, mode: row.mode, webhookConfigured: !!row.stripeWebhookSecretCiphertext, ...settings };
  }
  if (billing.fallbackSecretKey) {
    const key = billing.fallbackSecretKey;
    return { source: 'environment', secretKeyLast4: key.slice(-4), mode: modeOf(key), webhookConfigured: !!billing.fallbackWebhookSecret, ...settings };
  }
  return { source: 'none', secretKeyLast4: null, mode: null, webhookConfigured: false, ...settings };
}

export async function getAgencyBillingAccount(deps: BillingAccountDeps, input: { actor: Actor }): Promise<BillingAccountView> {
  const { agencyId } = input.actor.principal;
  const row = await deps.runInScope({ agencyId }, (tx) => findBillingSettings(tx, agencyId));
  return billingAccountView(row, deps.billing);
}

export { modeOf };
