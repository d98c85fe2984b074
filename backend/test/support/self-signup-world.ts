import { randomUUID } from 'node:crypto';
import { QueryTypes, type Sequelize } from 'sequelize';
import { hashPassword } from '../../src/modules/auth/password-hashing.js';
import { newOneTimeToken } from '../../src/modules/auth/one-time-token.js';
import { insertAgencyStripe, starterEntitlements } from './plans-world.js';

type Target = { agencyId: string; tenantId: string };
type CaseRequest = { params?: Record<string, string>; query?: Record<string, string>; body?: unknown };

/** A visitor's sign-up form, valid for the plan. */
export function signupForm(planId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const suffix = randomUUID().slice(0, 8);
  return {
    businessName: `Bloom Florists ${suffix}`, name: 'Rosa Petal', email: `rosa-${suffix}@example.test`, password: 'correct horse battery staple',
    timeZone: 'Europe/Berlin', planId, interval: 'month', ...overrides,
  };
}

/** A plan beneath RLS whose version counts as mirrored to Stripe (price ids the fake does not know). */
export async function insertSyncedPlanRow(db: Sequelize, agencyId: string): Promise<string> {
  const [plan] = await db.query<{ id: string }>(
    `INSERT INTO plans (agency_id, name, currency) VALUES (:agencyId, 'Sign-up plan', 'usd') RETURNING id`, { replacements: { agencyId }, type: QueryTypes.SELECT },
  );
  const [version] = await db.query<{ id: string }>(
    `INSERT INTO plan_versions (plan_id, agency_id, version, monthly_price_minor, entitlements, created_by, stripe_sync_status, stripe_monthly_price_id)
     VALUES (:planId, :agencyId, 1, 1900, CAST(:entitlements AS jsonb), 'test', 'synced', :price) RETURNING id`,
    { replacements: { planId: plan!.id, agencyId, entitlements: JSON.stringify(starterEntitlements()), price: `price_matrix_${randomUUID().slice(0, 8)}` }, type: QueryTypes.SELECT },
  );
  await db.query('UPDATE plans SET current_version_id = :versionId WHERE id = :planId', { replacements: { versionId: version!.id, planId: plan!.id } });
  return plan!.id;
}

/** Turns self sign-up on beneath RLS (settings row, offered plans). */
export async function enableSignupRow(db: Sequelize, agencyId: string, planIds: string[]): Promise<void> {
  await db.query(
    `INSERT INTO agency_billing_settings (agency_id, self_signup_enabled) VALUES (:agencyId, true)
     ON CONFLICT (agency_id) DO UPDATE SET self_signup_enabled = true`,
    { replacements: { agencyId } },
  );
  for (const planId of planIds) {
    await db.query('INSERT INTO self_signup_plans (agency_id, plan_id) VALUES (:agencyId, :planId) ON CONFLICT DO NOTHING', { replacements: { agencyId, planId } });
  }
}

/** An agency ready for sign-up: its Stripe account (the fake), a synced plan, sign-up on. */
export async function openSignup(db: Sequelize, agencyId: string): Promise<string> {
  await insertAgencyStripe(db, agencyId);
  const planId = await insertSyncedPlanRow(db, agencyId);
  await enableSignupRow(db, agencyId, [planId]);
  return planId;
}

/** A pending sign-up request beneath RLS and the token that verifies it. */
export async function insertSignupRequest(db: Sequelize, input: { agencyId: string; planId: string; email?: string }): Promise<{ token: string; email: string }> {
  const { token, hash } = newOneTimeToken();
  const email = input.email ?? `signup-${randomUUID().slice(0, 8)}@example.test`;
  await db.query(
    `INSERT INTO signup_requests (agency_id, email, name, business_name, time_zone, password_hash, plan_id, interval, token_hash, expires_at)
     VALUES (:agencyId, :email, 'Matrix Owner', 'Matrix Business', 'UTC', :passwordHash, :planId, 'month', :hash, now() + interval '1 hour')`,
    { replacements: { ...input, email, hash, passwordHash: await hashPassword('matrix password 123') } },
  );
  return { token, email };
}

/**
 * Route matrix cases for self sign-up. The public routes find the caller's agency with sign-up on (so they
 * answer 2xx to anyone); the verify case carries a fresh token each time (Checkout then fails on the
 * unknown price and the answer carries checkoutUrl null).
 */
export const SELF_SIGNUP_ROUTE_CASES: Record<string, (db: Sequelize, t: Target) => Promise<CaseRequest>> = {
  'get /api/v1/agency/billing/self-signup': async () => ({}),
  'put /api/v1/agency/billing/self-signup': async () => ({ body: { enabled: false, planIds: [] } }),
  'get /api/v1/signup': async (db, t) => ({ query: { agency: (await openSignup(db, t.agencyId), t.agencyId) } }),
  'post /api/v1/signup/requests': async (db, t) => ({ body: { agencyId: t.agencyId, ...signupForm(await openSignup(db, t.agencyId)) } }),
  'post /api/v1/signup/verify': async (db, t) => {
    const planId = await openSignup(db, t.agencyId);
    return { body: { agencyId: t.agencyId, token: (await insertSignupRequest(db, { agencyId: t.agencyId, planId })).token } };
  },
};
