import { AppError } from '../../http/errors.js';
import type { Actor } from '../../http/request-context.js';
import { auditOrigin } from '../audit/audit-actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { requirePlan } from './get-plan.js';
import type { PlanDeps } from './plan-deps.js';
import { findPlanVersion } from './plan-version-repository.js';
import { publishSubscriptionEvent, subscriptionViewOf } from './subscription-events.js';
import { cancelSubscriptionNow, findSubscription } from './subscription-repository.js';

/** Ends a tenant's hand-made subscription now (the row stays, canceled); audited and published as subscription.removed. */
export async function removeSubscription(deps: PlanDeps, input: { actor: Actor; tenantId: string }): Promise<void> {
  const { agencyId } = input.actor.principal;
  await deps.runInScope({ agencyId }, async (tx) => {
    const before = await findSubscription(tx, { agencyId, tenantId: input.tenantId }, { forUpdate: true });
    if (!before || before.status === 'canceled') throw new AppError('NOT_FOUND', 'This tenant has no subscription');
    if (before.billing === 'stripe') throw new AppError('CONFLICT', 'This subscription is billed through Stripe: cancel it through Stripe', { reason: 'billed_by_stripe' });
    const row = await cancelSubscriptionNow(tx, before.id);
    const version = (await findPlanVersion(tx, { agencyId, versionId: row.planVersionId }))!;
    const plan = await requirePlan(tx, { agencyId, planId: version.planId });
    await recordAuditEvent(tx, {
      agencyId, tenantId: input.tenantId, ...auditOrigin(input.actor), action: 'subscription.removed', target: { type: 'subscription', id: row.id },
      before: { planVersionId: before.planVersionId, status: before.status, billing: before.billing }, after: { status: row.status },
    });
    await publishSubscriptionEvent(tx, deps.events, { type: 'subscription.removed', agencyId, subscription: subscriptionViewOf(row, plan, version) });
  });
}
