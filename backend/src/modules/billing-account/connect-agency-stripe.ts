import { AppError, providerError, providerUnreachable } from '../../http/errors.js';
import type { Actor } from '../../http/request-context.js';
import { encryptSecret } from '../../infra/crypto.js';
import { BillingError } from '../../ports/billing.js';
import { auditOrigin } from '../audit/audit-actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { BillingAccountDeps } from './billing-account-deps.js';
import { findBillingSettings, upsertBillingSettings } from './billing-settings-repository.js';
import { billingAccountView, modeOf } from './get-agency-billing-account.js';
import type { BillingAccountView, ConnectStripeBody } from './schemas.js';

/**
 * Connects the agency's own Stripe account: the key is checked with Stripe first (a refused key is a 400
 * naming the field), then stored AES-256-GCM encrypted with the webhook signing secret. Audited without secrets.
 */
export async function connectAgencyStripe(deps: BillingAccountDeps, input: { actor: Actor; body: ConnectStripeBody }): Promise<BillingAccountView> {
  const { agencyId } = input.actor.principal;
  const { body } = input;
  await verifyWithStripe(deps, body.secretKey);
  return deps.runInScope({ agencyId }, async (tx) => {
    const before = await findBillingSettings(tx, agencyId, { forUpdate: true });
    const webhookCiphertext = body.webhookSecret === undefined
      ? (before?.stripeWebhookSecretCiphertext ?? null)
      : body.webhookSecret && encryptSecret(deps.encryptionKey, body.webhookSecret);
    const row = await upsertBillingSettings(tx, agencyId, {
      stripeSecretCiphertext: encryptSecret(deps.encryptionKey, body.secretKey),
      stripeWebhookSecretCiphertext: webhookCiphertext || null,
      secretLast4: body.secretKey.slice(-4),
      mode: modeOf(body.secretKey),
      currency: body.currency,
      graceDays: body.graceDays,
    });
    const view = billingAccountView(row, deps.billing);
    await recordAuditEvent(tx, {
      agencyId, ...auditOrigin(input.actor),
      action: before?.stripeSecretCiphertext ? 'billing_account.updated' : 'billing_account.connected',
      target: { type: 'billing_account', id: 'stripe' },
      before: before ? { keyLast4: before.secretLast4, mode: before.mode, currency: before.currency, graceDays: before.graceDays } : null,
      after: { keyLast4: view.secretKeyLast4, mode: view.mode, webhookConfigured: view.webhookConfigured, currency: view.currency, graceDays: view.graceDays },
    });
    return view;
  });
}

async function verifyWithStripe(deps: BillingAccountDeps, secretKey: string): Promise<void> {
  try {
    await deps.billing.port.verifyKey({ secretKey });
  } catch (err) {
    if (!(err instanceof BillingError)) throw err;
    if (err.reason === 'invalid_key') {
      const message = 'Stripe refused this secret key: check that it is a live or test secret key of your account';
      throw new AppError('VALIDATION_FAILED', message, [{ path: 'body.secretKey', message }]);
    }
    if (err.reason === 'unavailable') throw providerUnreachable('stripe', 'Stripe could not be reached to check the key; try again', { providerMessage: err.providerMessage });
    throw providerError('stripe', 'Stripe did not accept the check of the key', { providerMessage: err.providerMessage });
  }
}
