import { AppError } from '../../http/errors.js';
import type { Actor } from '../../http/request-context.js';
import { auditOrigin } from '../audit/audit-actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { findTenant } from '../tenants/tenant-repository.js';
import { enforceAgentLimit } from './enforce-agent-limit.js';
import { requirePlan } from './get-plan.js';
import type { PlanDeps } from './plan-deps.js';
import { findPlanVersion } from './plan-version-repository.js';
import { publishSubscriptionEvent, subscriptionViewOf, type SubscriptionEventType } from './subscription-events.js';
import { findSubscription, upsertSubscription, type SubscriptionInterval, type SubscriptionRow } from './subscription-repository.js';
import type { AssignSubscriptionBody, SubscriptionView } from './subscription-schemas.js';

const DEFAULT_TRIAL_DAYS = 14;
const DAY_MS = 86_400_000;

/** One billing period from `start`: a calendar month or year later, the day clamped to the month's end (Jan 31 -> Feb 28), as Stripe does. */
export function periodEnd(start: Date, interval: SubscriptionInterval): Date {
  const months = interval === 'month' ? 1 : 12;
  const end = new Date(start);
  end.setUTCDate(1);
  end.setUTCMonth(end.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() + 1, 0)).getUTCDate();
  end.setUTCDate(Math.min(start.getUTCDate(), lastDay));
  return end;
}

const isLive = (row: SubscriptionRow | undefined): row is SubscriptionRow => !!row && row.status !== 'canceled';

/**
 * Agency staff put a tenant on a plan's current version by hand: billed outside Switchboard ('manual',
 * active for one period), free ('comped') or on trial (trialing until trial_end). Audited and published
 * as subscription.assigned / .changed / .comped / .trial_granted. A subscription Stripe bills is changed
 * through Stripe, not here (409); archived plans cannot be newly assigned (409).
 */
export async function assignSubscription(deps: PlanDeps, input: { actor: Actor; tenantId: string; body: AssignSubscriptionBody }): Promise<SubscriptionView> {
  const { agencyId } = input.actor.principal;
  const { body } = input;
  return deps.runInScope({ agencyId }, async (tx) => {
    if (!(await findTenant(tx, { agencyId, tenantId: input.tenantId }))) throw new AppError('NOT_FOUND', 'Tenant not found');
    const plan = await requirePlan(tx, { agencyId, planId: body.planId });
    if (plan.archivedAt) throw new AppError('CONFLICT', 'This plan is archived and cannot be assigned', { reason: 'plan_archived' });
    const version = (await findPlanVersion(tx, { agencyId, versionId: plan.currentVersionId }))!;
    if (body.interval === 'year' && version.yearlyPriceMinor === null) {
      const message = 'This plan has no yearly price';
      throw new AppError('VALIDATION_FAILED', message, [{ path: 'body.interval', message }]);
    }
    const before = await findSubscription(tx, { agencyId, tenantId: input.tenantId }, { forUpdate: true });
    if (isLive(before) && before.billing === 'stripe') {
      throw new AppError('CONFLICT', 'This subscription is billed through Stripe: change it through Stripe', { reason: 'billed_by_stripe' });
    }
    const now = new Date();
    const trialEnd = body.kind === 'trial' ? new Date(now.getTime() + ((body.trialDays ?? version.trialDays) || DEFAULT_TRIAL_DAYS) * DAY_MS) : null;
    const row = await upsertSubscription(tx, {
      agencyId, tenantId: input.tenantId, planVersionId: version.id, interval: body.interval,
      status: trialEnd ? 'trialing' : 'active', billing: body.kind === 'comped' ? 'comped' : 'manual',
      currentPeriodStart: now, currentPeriodEnd: trialEnd ?? periodEnd(now, body.interval), trialEnd,
    });
    // A plan with fewer agents pauses the newest extra ones (never deletes them); the owner picks which stay on.
    await enforceAgentLimit(tx, { agencyId, tenantId: input.tenantId, limit: version.entitlements.agents, origin: auditOrigin(input.actor), planVersionId: version.id });
    const view = subscriptionViewOf(row, plan, version);
    const type: SubscriptionEventType = body.kind === 'comped' ? 'subscription.comped' : body.kind === 'trial' ? 'subscription.trial_granted'
      : isLive(before) ? 'subscription.changed' : 'subscription.assigned';
    await recordAuditEvent(tx, {
      agencyId, tenantId: input.tenantId, ...auditOrigin(input.actor), action: type, target: { type: 'subscription', id: row.id },
      before: isLive(before) ? { planVersionId: before.planVersionId, status: before.status, billing: before.billing, interval: before.interval } : null,
      after: { planId: plan.id, planVersionId: version.id, version: version.version, status: row.status, billing: row.billing, interval: row.interval, trialEnd: row.trialEnd },
    });
    await publishSubscriptionEvent(tx, deps.events, { type, agencyId, subscription: view, extra: { previousPlanVersionId: isLive(before) ? before.planVersionId : null } });
    return view;
  });
}
