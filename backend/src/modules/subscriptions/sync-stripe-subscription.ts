import type { Transaction } from 'sequelize';
import { queryRows } from '../../db/sql.js';
import { BillingError, type BillingCredentials, type BillingSubscription } from '../../ports/billing.js';
import { agencyBillingCredentials } from '../billing-account/agency-billing-credentials.js';
import { enforceAgentLimit } from '../plans/enforce-agent-limit.js';
import { findPlanVersion } from '../plans/plan-version-repository.js';
import { findSubscription } from '../plans/subscription-repository.js';
import { findTenant } from '../tenants/tenant-repository.js';
import { notifyPastDue } from './notify-past-due.js';
import { isEnded, rowMatches, stripeStateOf } from './stripe-state.js';
import { findTenantByStripeIds, findVersionByPrice, lockTenantSubscription, touchStripeSynced, writeStripeState } from './stripe-subscription-repository.js';
import { recordStripeChange, type StripeSubscriptionEventType } from './subscription-change-events.js';
import type { SubscriptionDeps } from './subscription-deps.js';

export type SyncOutcome =
  | { outcome: 'applied'; tenantId: string; event: StripeSubscriptionEventType }
  | { outcome: 'unchanged'; tenantId: string }
  | { outcome: 'ignored'; tenantId: string | null; reason: 'no_stripe_account' | 'unknown_subscription' | 'unknown_tenant' | 'unknown_price' | 'older_subscription' | 'not_started' };

type SyncInput = {
  agencyId: string;
  subscriptionId: string;
  /** client_reference_id of a completed Checkout, when the event was one. */
  tenantHint?: string | null;
  origin: 'webhook' | 'reconcile';
  stripeEventId?: string;
};

/**
 * Re-fetches one Stripe subscription and writes Stripe's state over the tenant's row. Whatever event
 * triggered it, in whatever order and however often, the row ends as Stripe has it now: the fetch and the
 * write happen under one lock per Stripe subscription, so a slower, older fetch can never land last.
 * Audited and published only when something changed; the owner is mailed when it falls past due.
 */
export async function syncStripeSubscription(deps: SubscriptionDeps, input: SyncInput): Promise<SyncOutcome> {
  const { agencyId } = input;
  const result = await deps.runInScope({ agencyId }, async (tx) => {
    const credentials = await agencyBillingCredentials(tx, deps, agencyId);
    if (!credentials) return { outcome: 'ignored', tenantId: null, reason: 'no_stripe_account' } as const;
    await queryRows(tx, 'SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))', { key: `stripe-subscription:${input.subscriptionId}` });
    const stripe = await retrieve(deps, credentials, input.subscriptionId);
    if (!stripe) return { outcome: 'ignored', tenantId: null, reason: 'unknown_subscription' } as const;
    const tenantId = await tenantOf(tx, agencyId, stripe, input.tenantHint);
    if (!tenantId) return { outcome: 'ignored', tenantId: null, reason: 'unknown_tenant' } as const;
    return applyToTenant(tx, deps, { ...input, tenantId, stripe });
  });
  if (result.outcome === 'applied' && result.event === 'subscription.past_due') await notifyPastDue(deps, { agencyId, tenantId: result.tenantId });
  return result;
}

async function applyToTenant(
  tx: Transaction, deps: SubscriptionDeps, input: SyncInput & { tenantId: string; stripe: BillingSubscription },
): Promise<SyncOutcome> {
  const { agencyId, tenantId, stripe } = input;
  const before = await lockTenantSubscription(tx, { agencyId, tenantId });
  const otherSubscription = before?.billing === 'stripe' && before.stripeSubscriptionId !== null && before.stripeSubscriptionId !== stripe.id;
  // A tenant that resubscribed: news about its earlier, ended Stripe subscription never overwrites the live one.
  if (otherSubscription && isEnded(stripe)) return { outcome: 'ignored', tenantId, reason: 'older_subscription' };
  // A Checkout not paid yet does not replace a plan the agency assigned by hand.
  const started = stripe.status !== 'incomplete' && stripe.status !== 'incomplete_expired';
  if (!started && before && before.billing !== 'stripe' && before.status !== 'canceled') return { outcome: 'ignored', tenantId, reason: 'not_started' };
  const versionId = (await findVersionByPrice(tx, { agencyId, priceId: stripe.priceId }))?.versionId ?? (otherSubscription ? undefined : before?.planVersionId);
  if (!versionId) return { outcome: 'ignored', tenantId, reason: 'unknown_price' };
  const state = stripeStateOf(stripe, versionId, before, new Date());
  if (rowMatches(before, state)) {
    await touchStripeSynced(tx, before!.id);
    return { outcome: 'unchanged', tenantId };
  }
  await writeStripeState(tx, { ...state, agencyId, tenantId });
  if (before?.planVersionId !== versionId) {
    // A plan with fewer agents (a downgrade in the Customer Portal or here) pauses the newest extra ones, never deletes.
    const version = await findPlanVersion(tx, { agencyId, versionId });
    const actor = { type: 'system' as const, id: input.origin === 'reconcile' ? 'stripe-reconcile' : `stripe:${input.stripeEventId ?? 'webhook'}` };
    if (version) await enforceAgentLimit(tx, { agencyId, tenantId, limit: version.entitlements.agents, origin: { actor }, planVersionId: versionId });
  }
  const after = (await findSubscription(tx, { agencyId, tenantId }))!;
  const event = await recordStripeChange(tx, deps.events, { agencyId, before, after, origin: input.origin, stripeEventId: input.stripeEventId });
  return { outcome: 'applied', tenantId, event };
}

async function retrieve(deps: SubscriptionDeps, credentials: BillingCredentials, subscriptionId: string): Promise<BillingSubscription | undefined> {
  try {
    return await deps.billing.port.retrieveSubscription(credentials, subscriptionId);
  } catch (err) {
    if (err instanceof BillingError && err.reason === 'not_found') return undefined;
    throw err;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whose subscription this is: the tenant our Checkout named in the subscription's metadata, else the row
 * holding its subscription or customer id, else the Checkout's client_reference_id. Only a tenant of this
 * agency is ever returned (metadata naming another agency is ignored; RLS hides other agencies' tenants).
 */
async function tenantOf(tx: Transaction, agencyId: string, stripe: BillingSubscription, hint: string | null | undefined): Promise<string | undefined> {
  const { tenantId: named, agencyId: namedAgency } = stripe.metadata;
  if (namedAgency && namedAgency !== agencyId) return undefined;
  const ours = async (id: string | null | undefined) => (id && UUID.test(id) && (await findTenant(tx, { agencyId, tenantId: id })) ? id : undefined);
  return (await ours(named))
    ?? (await findTenantByStripeIds(tx, { agencyId, subscriptionId: stripe.id, customerId: stripe.customerId }))
    ?? (await ours(hint));
}
