import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Sequelize } from 'sequelize';
import { encryptSecret } from '../../src/infra/crypto.js';
import { testEncryptionKey } from './env.js';
import { insertPlanRow } from './plans-world.js';

type Target = { agencyId: string; tenantId: string };
type CaseRequest = { params?: Record<string, string>; query?: Record<string, string>; body?: unknown };

/** A fresh Stripe webhook signing secret, as Stripe shows it once when the endpoint is created. */
export const newSigningSecret = () => `whsec_test_${randomBytes(16).toString('hex')}`;

/** The agency's own Stripe account (key the fake knows) and its webhook signing secret, saved beneath RLS. */
export async function saveAgencyStripe(db: Sequelize, agencyId: string, input: { secretKey: string; webhookSecret: string }): Promise<void> {
  const key = testEncryptionKey();
  await db.query(
    `INSERT INTO agency_billing_settings (agency_id, stripe_secret_ciphertext, stripe_webhook_secret_ciphertext, secret_last4, mode)
     VALUES (:agencyId, :secret, :webhook, :last4, 'test')
     ON CONFLICT (agency_id) DO UPDATE SET stripe_secret_ciphertext = EXCLUDED.stripe_secret_ciphertext,
       stripe_webhook_secret_ciphertext = EXCLUDED.stripe_webhook_secret_ciphertext, secret_last4 = EXCLUDED.secret_last4`,
    { replacements: { agencyId, secret: encryptSecret(key, input.secretKey), webhook: encryptSecret(key, input.webhookSecret), last4: input.secretKey.slice(-4) } },
  );
}

/** The app listening on a local port, so the fake Stripe can deliver webhooks to it. */
export async function listen(app: Express): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Subscription rows as the test reads them (beneath RLS). */
export async function subscriptionRowOf(db: Sequelize, tenantId: string): Promise<Record<string, unknown> | undefined> {
  const [rows] = (await db.query(
    `SELECT status, billing, interval, plan_version_id AS "planVersionId", cancel_at_period_end AS "cancelAtPeriodEnd", past_due_since AS "pastDueSince",
       trial_end AS "trialEnd", current_period_start AS "currentPeriodStart", current_period_end AS "currentPeriodEnd",
       stripe_customer_id AS "stripeCustomerId", stripe_subscription_id AS "stripeSubscriptionId"
     FROM subscriptions WHERE tenant_id = :tenantId`,
    { replacements: { tenantId } },
  )) as [Record<string, unknown>[], unknown];
  return rows[0];
}

/**
 * Route matrix cases for the tenant billing routes. The plan is not mirrored to Stripe and the tenant has no
 * Stripe subscription, so writes answer 409 (no side effects in Stripe) once the caller is let in.
 */
export const SUBSCRIPTION_ROUTE_CASES: Record<string, (db: Sequelize, t: Target) => Promise<CaseRequest>> = {
  'get /api/v1/billing': async () => ({}),
  'post /api/v1/billing/checkout': async (db, t) => ({ body: { planId: (await insertPlanRow(db, t.agencyId)).planId, interval: 'month' } }),
  'post /api/v1/billing/change': async (db, t) => ({ body: { planId: (await insertPlanRow(db, t.agencyId)).planId } }),
  'post /api/v1/billing/cancel': async () => ({ body: {} }),
  'post /api/v1/billing/resume': async () => ({ body: {} }),
  'post /api/v1/billing/portal': async () => ({ body: {} }),
  'get /api/v1/billing/invoices': async () => ({}),
};
