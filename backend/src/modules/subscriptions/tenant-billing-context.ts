import type { Transaction } from 'sequelize';
import { AppError } from '../../http/errors.js';
import type { Actor } from '../../http/request-context.js';
import type { BillingCredentials } from '../../ports/billing.js';
import { agencyBillingCredentials } from '../billing-account/agency-billing-credentials.js';
import { findSubscription, type SubscriptionRow } from '../plans/subscription-repository.js';
import { findTenant, type Tenant } from '../tenants/tenant-repository.js';
import type { SubscriptionDeps } from './subscription-deps.js';

export type TenantBilling = { agencyId: string; tenantId: string; tenant: Tenant; credentials: BillingCredentials | undefined; subscription: SubscriptionRow | undefined };

/** The caller's tenant (from the principal only), never a body field. */
export function tenantScopeOf(actor: Actor): { agencyId: string; tenantId: string } {
  const { agencyId, tenantId } = actor.principal;
  if (!tenantId) throw new AppError('FORBIDDEN', 'Choose a tenant to act in first');
  return { agencyId, tenantId };
}

/**
 * Runs at agency scope (the agency's Stripe key lives there) but only ever for the principal's own tenant:
 * every query below names it.
 */
export async function loadTenantBilling(tx: Transaction, deps: SubscriptionDeps, actor: Actor, options: { lock?: boolean } = {}): Promise<TenantBilling> {
  const { agencyId, tenantId } = tenantScopeOf(actor);
  const tenant = await findTenant(tx, { agencyId, tenantId });
  if (!tenant) throw new AppError('NOT_FOUND', 'Tenant not found');
  return {
    agencyId, tenantId, tenant, credentials: await agencyBillingCredentials(tx, deps, agencyId),
    subscription: await findSubscription(tx, { agencyId, tenantId }, { forUpdate: options.lock }),
  };
}

export function requireStripe(billing: TenantBilling): BillingCredentials {
  if (!billing.credentials) {
    throw new AppError('CONFLICT', 'Your provider does not take payments online; ask them to change your plan', { reason: 'stripe_not_connected' });
  }
  return billing.credentials;
}

/** The tenant's live Stripe subscription, or a 409 saying why there is none to change. */
export function requireStripeSubscription(billing: TenantBilling): SubscriptionRow & { stripeSubscriptionId: string } {
  const row = billing.subscription;
  if (!row || row.billing !== 'stripe' || !row.stripeSubscriptionId || row.status === 'canceled') {
    throw new AppError('CONFLICT', 'There is no paid subscription to change: choose a plan first', { reason: 'no_stripe_subscription' });
  }
  return row as SubscriptionRow & { stripeSubscriptionId: string };
}
