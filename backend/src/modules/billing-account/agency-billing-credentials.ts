import type { Transaction } from 'sequelize';
import { decryptSecret } from '../../infra/crypto.js';
import type { BillingCredentials } from '../../ports/billing.js';
import type { BillingAccountDeps } from './billing-account-deps.js';
import { findBillingSettings } from './billing-settings-repository.js';

/**
 * The agency's Stripe account: its own saved key, else the installation's STRIPE_SECRET_KEY, else none
 * (plans are then billed outside Switchboard). Call inside an agency-scoped transaction.
 */
export async function agencyBillingCredentials(
  tx: Transaction,
  deps: Omit<BillingAccountDeps, 'runInScope'>,
  agencyId: string,
): Promise<BillingCredentials | undefined> {
  const row = await findBillingSettings(tx, agencyId);
  if (row?.stripeSecretCiphertext) return { secretKey: decryptSecret(deps.encryptionKey, row.stripeSecretCiphertext) };
  return deps.billing.fallbackSecretKey ? { secretKey: deps.billing.fallbackSecretKey } : undefined;
}

/** The agency's currency for new plans (lowercase ISO 4217; 'usd' until the agency sets one). */
export async function agencyCurrency(tx: Transaction, agencyId: string): Promise<string> {
  return (await findBillingSettings(tx, agencyId))?.currency ?? 'usd';
}
