import { QueryTypes, type Sequelize } from 'sequelize';
import { encryptSecret } from '../../src/infra/crypto.js';
import type { Entitlements } from '../../src/modules/plans/entitlements.js';
import { testEncryptionKey } from './env.js';
import { providerFakes } from './provider-fakes.js';

type Target = { agencyId: string; tenantId: string };
type CaseRequest = { params?: Record<string, string>; query?: Record<string, string>; body?: unknown };

/** Entitlements of a small plan: 1 agent, 3 seats, SMS and web chat, audit export, modest allowances. */
export function starterEntitlements(overrides: Partial<Entitlements> = {}): Entitlements {
  return {
    agents: 1, seats: 3, channels: ['sms', 'web_chat'], features: ['audit.export'],
    allowances: { sms_segments: 500, voice_minutes: 100, whatsapp_messages: 0, ai_tokens: 200_000, ai_replies: 300 },
    ...overrides,
  };
}

/** A body for POST /api/v1/agency/plans ($19/month, no yearly price). */
export function planBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: 'Starter', description: 'One agent, SMS and web chat', monthlyPriceMinor: 1900, entitlements: starterEntitlements(), ...overrides };
}

type StripeAccountLike = { products: Map<string, Record<string, unknown>>; prices: Map<string, Record<string, unknown>> };
type StripePrice = { id: string; active: boolean; unit_amount: number; currency: string; recurring?: { interval: string } | null };

/** What the fake Stripe account holds for one plan (our metadata names the plan), in creation order. */
export function stripeCatalogueOf(account: StripeAccountLike, planId: string): { products: Record<string, unknown>[]; prices: StripePrice[] } {
  const ours = (o: Record<string, unknown>) => (o.metadata as Record<string, string> | undefined)?.switchboard_plan_id === planId;
  return { products: [...account.products.values()].filter(ours), prices: [...account.prices.values()].filter(ours) as unknown as StripePrice[] };
}

/** A plan with version 1 beneath RLS (not mirrored to Stripe). */
export async function insertPlanRow(db: Sequelize, agencyId: string): Promise<{ planId: string; versionId: string }> {
  const [plan] = await db.query<{ id: string }>(
    `INSERT INTO plans (agency_id, name, currency) VALUES (:agencyId, 'Matrix plan', 'usd') RETURNING id`, { replacements: { agencyId }, type: QueryTypes.SELECT },
  );
  const [version] = await db.query<{ id: string }>(
    `INSERT INTO plan_versions (plan_id, agency_id, version, monthly_price_minor, entitlements, created_by, stripe_sync_status)
     VALUES (:planId, :agencyId, 1, 1900, CAST(:entitlements AS jsonb), 'test', 'not_connected') RETURNING id`,
    { replacements: { planId: plan!.id, agencyId, entitlements: JSON.stringify(starterEntitlements()) }, type: QueryTypes.SELECT },
  );
  await db.query('UPDATE plans SET current_version_id = :versionId WHERE id = :planId', { replacements: { planId: plan!.id, versionId: version!.id } });
  return { planId: plan!.id, versionId: version!.id };
}

/** A live, hand-made subscription of the tenant to a fresh plan (replacing any it had). */
export async function insertManualSubscription(db: Sequelize, t: Target): Promise<void> {
  const { versionId } = await insertPlanRow(db, t.agencyId);
  await db.query(
    `INSERT INTO subscriptions (agency_id, tenant_id, plan_version_id, status, billing, interval, current_period_start, current_period_end)
     VALUES (:agencyId, :tenantId, :versionId, 'active', 'manual', 'month', now(), now() + interval '1 month')
     ON CONFLICT (tenant_id) DO UPDATE SET plan_version_id = EXCLUDED.plan_version_id, status = 'active', billing = 'manual'`,
    { replacements: { ...t, versionId } },
  );
}

/** The agency's own Stripe account, saved beneath RLS (a key the fake knows). */
export async function insertAgencyStripe(db: Sequelize, agencyId: string): Promise<void> {
  const key = providerFakes().stripe.addAccount().secretKey;
  await db.query(
    `INSERT INTO agency_billing_settings (agency_id, stripe_secret_ciphertext, secret_last4, mode) VALUES (:agencyId, :cipher, :last4, 'test')
     ON CONFLICT (agency_id) DO UPDATE SET stripe_secret_ciphertext = EXCLUDED.stripe_secret_ciphertext, secret_last4 = EXCLUDED.secret_last4`,
    { replacements: { agencyId, cipher: encryptSecret(testEncryptionKey(), key), last4: key.slice(-4) } },
  );
}

/** Route matrix cases for the plans and billing-account routes (see route-cases.ts). */
export const PLAN_ROUTE_CASES: Record<string, (db: Sequelize, t: Target) => Promise<CaseRequest>> = {
  'get /api/v1/agency/billing/stripe': async () => ({}),
  'put /api/v1/agency/billing/stripe': async () => ({ body: { secretKey: providerFakes().stripe.addAccount().secretKey } }),
  'delete /api/v1/agency/billing/stripe': async (db, t) => (await insertAgencyStripe(db, t.agencyId), {}),
  'get /api/v1/agency/plans': async () => ({}),
  'post /api/v1/agency/plans': async () => ({ body: planBody() }),
  'get /api/v1/agency/plans/:id': async (db, t) => ({ params: { id: (await insertPlanRow(db, t.agencyId)).planId } }),
  'patch /api/v1/agency/plans/:id': async (db, t) => ({ params: { id: (await insertPlanRow(db, t.agencyId)).planId }, body: { monthlyPriceMinor: 2900 } }),
  'delete /api/v1/agency/plans/:id': async (db, t) => ({ params: { id: (await insertPlanRow(db, t.agencyId)).planId } }),
  'post /api/v1/agency/plans/:id/sync': async (db, t) => ({ params: { id: (await insertPlanRow(db, t.agencyId)).planId }, body: {} }),
  'post /api/v1/agency/plans/:id/move-subscribers': async (db, t) => ({ params: { id: (await insertPlanRow(db, t.agencyId)).planId }, body: {} }),
  'put /api/v1/agency/tenants/:tenantId/subscription': async (db, t) => ({
    params: { tenantId: t.tenantId }, body: { kind: 'manual', planId: (await insertPlanRow(db, t.agencyId)).planId },
  }),
  'delete /api/v1/agency/tenants/:tenantId/subscription': async (db, t) => (await insertManualSubscription(db, t), { params: { tenantId: t.tenantId } }),
};
