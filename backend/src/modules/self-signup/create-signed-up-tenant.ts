import { randomBytes } from 'node:crypto';
import type { Transaction } from 'sequelize';
import type { EventBus } from '../../ports/events.js';
import type { RequestMeta } from '../auth/auth-deps.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { createMembership, createUser } from '../invitations/membership-repository.js';
import { findPlan } from '../plans/plan-repository.js';
import { upsertSubscription } from '../plans/subscription-repository.js';
import { insertTenant } from '../tenants/tenant-repository.js';
import { createGoogleUser } from './google-owner-repository.js';
import { markSignupCompleted, type SignupRequestRow } from './signup-request-repository.js';

/** A unique, readable slug: the business name's letters and digits and a random suffix (slugs are unique install-wide). */
export function signupSlug(businessName: string): string {
  const base = businessName.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60).replace(/-+$/, '');
  return `${base || 'business'}-${randomBytes(4).toString('hex')}`;
}

/**
 * In the caller's agency-scoped transaction: the tenant, its owner (the password hashed at request time, or, signed
 * up with Google, no password and the Google account linked) and the
 * owner's membership, and the request marked used. The tenant also gets its chosen plan as a subscription that is
 * `unpaid` and billed 'manual' until Stripe says otherwise: the entitlement check then applies the plan's limits
 * and restricts outbound and AI turns (no free service before payment); paying through Checkout replaces the row
 * with the Stripe subscription (a Checkout not paid yet never does). See docs/billing.md, "Self sign-up".
 */
export async function createSignedUpTenant(
  tx: Transaction,
  events: EventBus,
  input: { request: SignupRequestRow; meta: RequestMeta; google?: { subject: string } },
): Promise<{ tenantId: string; userId: string }> {
  const { request, meta } = input;
  const { agencyId } = request;
  const tenant = await insertTenant(tx, { agencyId, name: request.businessName, slug: signupSlug(request.businessName), timeZone: request.timeZone });
  const userId = input.google ? await createGoogleUser(tx, { email: request.email, name: request.name, subject: input.google.subject })
    : await createUser(tx, { email: request.email, name: request.name, passwordHash: request.passwordHash });
  const membershipId = await createMembership(tx, { userId, agencyId, tenantId: tenant.id, role: 'tenant_owner' });
  const plan = await findPlan(tx, { agencyId, planId: request.planId });
  const now = new Date();
  const subscription = plan && await upsertSubscription(tx, {
    agencyId, tenantId: tenant.id, planVersionId: plan.currentVersionId, status: 'unpaid', billing: 'manual', interval: request.interval,
    currentPeriodStart: now, currentPeriodEnd: now, trialEnd: null,
  });
  await markSignupCompleted(tx, { id: request.id, tenantId: tenant.id });
  const facts = {
    tenantId: tenant.id, name: tenant.name, slug: tenant.slug, timeZone: tenant.timeZone, ownerUserId: userId, ownerEmail: request.email,
    membershipId, planId: request.planId, planVersionId: plan?.currentVersionId ?? null, interval: request.interval, subscriptionStatus: subscription?.status ?? null,
  };
  await recordAuditEvent(tx, {
    agencyId, tenantId: tenant.id, actor: { type: 'user', id: userId }, action: 'tenant.self_signed_up',
    target: { type: 'tenant', id: tenant.id }, after: { ...facts, signupRequestId: request.id, signedUpWith: input.google ? 'google' : 'password' }, requestId: meta.requestId, ip: meta.ip,
  });
  await events.publish({ type: 'tenant.signed_up', agencyId, tenantId: tenant.id, data: facts }, { transaction: tx });
  return { tenantId: tenant.id, userId };
}
