import type { Transaction } from 'sequelize';
import { iso } from '../../db/rows.js';
import { queryOne, queryRows } from '../../db/sql.js';

/** The agency's billing settings row (agency scope only: it holds the Stripe secrets). */
export type BillingSettingsRow = {
  agencyId: string;
  stripeSecretCiphertext: string | null;
  stripeWebhookSecretCiphertext: string | null;
  secretLast4: string | null;
  mode: 'test' | 'live' | null;
  currency: string;
  graceDays: number;
  selfSignupEnabled: boolean;
  updatedAt: string;
};

const COLUMNS = `agency_id AS "agencyId", stripe_secret_ciphertext AS "stripeSecretCiphertext",
  stripe_webhook_secret_ciphertext AS "stripeWebhookSecretCiphertext", secret_last4 AS "secretLast4", mode, currency,
  grace_days AS "graceDays", self_signup_enabled AS "selfSignupEnabled", updated_at AS "updatedAt"`;

const plain = (row: BillingSettingsRow): BillingSettingsRow => ({ ...row, updatedAt: iso(row.updatedAt)! });

export async function findBillingSettings(tx: Transaction, agencyId: string, options: { forUpdate?: boolean } = {}): Promise<BillingSettingsRow | undefined> {
  const row = await queryOne<BillingSettingsRow>(
    tx, `SELECT ${COLUMNS} FROM agency_billing_settings WHERE agency_id = :agencyId${options.forUpdate ? ' FOR UPDATE' : ''}`, { agencyId },
  );
  return row && plain(row);
}

export type StripeSecretsFields = {
  stripeSecretCiphertext: string | null;
  stripeWebhookSecretCiphertext: string | null;
  secretLast4: string | null;
  mode: 'test' | 'live' | null;
};

/** Saves the Stripe secrets (and, when given, currency and grace), creating the row with defaults. */
export async function upsertBillingSettings(
  tx: Transaction,
  agencyId: string,
  fields: StripeSecretsFields & { currency?: string; graceDays?: number },
): Promise<BillingSettingsRow> {
  const row = await queryOne<BillingSettingsRow>(
    tx,
    `INSERT INTO agency_billing_settings AS s (agency_id, stripe_secret_ciphertext, stripe_webhook_secret_ciphertext, secret_last4, mode, currency, grace_days)
     VALUES (:agencyId, :stripeSecretCiphertext, :stripeWebhookSecretCiphertext, :secretLast4, :mode, COALESCE(:currency, 'usd'), COALESCE(:graceDays, 7))
     ON CONFLICT (agency_id) DO UPDATE SET stripe_secret_ciphertext = EXCLUDED.stripe_secret_ciphertext,
       stripe_webhook_secret_ciphertext = EXCLUDED.stripe_webhook_secret_ciphertext, secret_last4 = EXCLUDED.secret_last4, mode = EXCLUDED.mode,
       currency = COALESCE(:currency, s.currency), grace_days = COALESCE(:graceDays, s.grace_days), updated_at = now()
     RETURNING ${COLUMNS}`,
    { ...fields, agencyId, currency: fields.currency ?? null, graceDays: fields.graceDays ?? null },
  );
  return plain(row!);
}

/** Forgets the Stripe secrets (currency and grace stay). True when there were any. */
export async function clearStripeSecrets(tx: Transaction, agencyId: string): Promise<boolean> {
  const rows = await queryRows(
    tx,
    `UPDATE agency_billing_settings SET stripe_secret_ciphertext = NULL, stripe_webhook_secret_ciphertext = NULL, secret_last4 = NULL,
       mode = NULL, updated_at = now()
     WHERE agency_id = :agencyId AND stripe_secret_ciphertext IS NOT NULL RETURNING agency_id`,
    { agencyId },
  );
  return rows.length > 0;
}
