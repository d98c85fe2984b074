import type { Transaction } from 'sequelize';
import { AppError } from '../../http/errors.js';
import { decryptSecret, encryptSecret } from '../../infra/crypto.js';
import type { Actor } from '../../http/request-context.js';
import type { PaymentsCredentials } from '../../ports/payments.js';
import { auditOrigin } from '../audit/audit-actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { tenantScopeOf, type TenantScope } from '../contacts/contact-scope.js';
import { deleteCredential, findCredential, upsertCredential, type CredentialRow } from '../provider-credentials/credential-repository.js';
import type { PaymentDeps } from './payment-deps.js';

export type StripeAccountView = { provider: 'stripe'; secretKeyLast4: string; mode: 'test' | 'live'; webhookConfigured: boolean; updatedAt: string };
type StripeSecrets = { secretKey: string; webhookSecret?: string };

function view(row: CredentialRow): StripeAccountView {
  const metadata = row.metadata as { secretKeyLast4: string; mode: 'test' | 'live'; webhookConfigured?: boolean };
  return { provider: 'stripe', secretKeyLast4: metadata.secretKeyLast4, mode: metadata.mode, webhookConfigured: metadata.webhookConfigured ?? false, updatedAt: row.updatedAt };
}

/** The stored secrets: the key and the webhook signing secret as JSON (rows from before webhooks hold the bare key). */
export function openStripeSecrets(encryptionKey: Buffer, row: CredentialRow): StripeSecrets {
  const plain = decryptSecret(encryptionKey, row.secretCiphertext);
  return plain.startsWith('{') ? (JSON.parse(plain) as StripeSecrets) : { secretKey: plain };
}

/** Stores (or replaces) the tenant's Stripe secret key, AES-256-GCM encrypted; audited without the key. */
export function saveStripeAccount(deps: PaymentDeps, input: { actor: Actor; secretKey: string; webhookSecret?: string }): Promise<StripeAccountView> {
  const scope = tenantScopeOf(input.actor);
  const metadata = { secretKeyLast4: input.secretKey.slice(-4), mode: input.secretKey.includes('_live_') ? 'live' : 'test', webhookConfigured: !!input.webhookSecret };
  const secrets: StripeSecrets = { secretKey: input.secretKey, ...(input.webhookSecret && { webhookSecret: input.webhookSecret }) };
  return deps.runInScope(scope, async (tx) => {
    const before = await findCredential(tx, { tenantId: scope.tenantId, provider: 'stripe', forUpdate: true });
    const row = await upsertCredential(tx, { ...scope, provider: 'stripe', metadata, secretCiphertext: encryptSecret(deps.encryptionKey, JSON.stringify(secrets)) });
    await recordAuditEvent(tx, {
      ...scope, ...auditOrigin(input.actor),
      action: before ? 'provider_account.updated' : 'provider_account.connected',
      target: { type: 'provider_account', id: 'stripe' },
      after: { provider: 'stripe', ...metadata },
    });
    return view(row);
  });
}

export async function getStripeAccount(deps: PaymentDeps, input: { actor: Actor }): Promise<StripeAccountView> {
  const scope = tenantScopeOf(input.actor);
  const row = await deps.runInScope(scope, (tx) => findCredential(tx, { tenantId: scope.tenantId, provider: 'stripe' }));
  if (!row) throw new AppError('NOT_FOUND', 'No Stripe account is connected');
  return view(row);
}

export async function deleteStripeAccount(deps: PaymentDeps, input: { actor: Actor }): Promise<void> {
  const scope = tenantScopeOf(input.actor);
  await deps.runInScope(scope, async (tx) => {
    if (!(await deleteCredential(tx, { tenantId: scope.tenantId, provider: 'stripe' }))) throw new AppError('NOT_FOUND', 'No Stripe account is connected');
    await recordAuditEvent(tx, {
      ...scope, ...auditOrigin(input.actor),
      action: 'provider_account.disconnected',
      target: { type: 'provider_account', id: 'stripe' },
    });
  });
}

/** The tenant's own key, else the agency-wide STRIPE_SECRET_KEY, else a 503 naming what to configure. */
export async function stripeCredentialsFor(tx: Transaction, deps: PaymentDeps, scope: TenantScope): Promise<PaymentsCredentials | undefined> {
  const row = await findCredential(tx, { tenantId: scope.tenantId, provider: 'stripe' });
  if (row) return { secretKey: openStripeSecrets(deps.encryptionKey, row).secretKey };
  return deps.fallbackSecretKey ? { secretKey: deps.fallbackSecretKey } : undefined;
}

export const paymentsNotConfigured = () =>
  new AppError('DEPENDENCY_UNAVAILABLE', 'No Stripe account is connected (PUT /api/v1/tenant/providers/stripe or STRIPE_SECRET_KEY)', {
    reason: 'payments_not_configured',
  });
