import { AppError } from '../../http/errors.js';
import type { Actor } from '../../http/request-context.js';
import { auditOrigin } from '../audit/audit-actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { enforceAgentLimit } from './enforce-agent-limit.js';
import { requirePlan } from './get-plan.js';
import type { PlanDeps } from './plan-deps.js';
import { listPlanVersions } from './plan-version-repository.js';
import { publishSubscriptionEvent, subscriptionViewOf } from './subscription-events.js';
import { findSubscription, moveSubscriptionsToVersion } from './subscription-repository.js';

/**
 * "Move subscribers to the new version": every live subscription of the plan billed outside Stripe goes
 * to the current version (or only those of `fromVersion`). One audit event with the count, one
 * subscription.changed event per tenant. Stripe-billed subscriptions are left to Stripe and counted as skipped.
 */
export async function moveSubscribers(
  deps: PlanDeps,
  input: { actor: Actor; planId: string; fromVersion?: number },
): Promise<{ moved: number; skipped: number; toVersion: number }> {
  const { agencyId } = input.actor.principal;
  return deps.runInScope({ agencyId }, async (tx) => {
    const plan = await requirePlan(tx, { agencyId, planId: input.planId }, { forUpdate: true });
    if (plan.archivedAt) throw new AppError('CONFLICT', 'This plan is archived: its subscribers cannot be moved within it', { reason: 'plan_archived' });
    const versions = await listPlanVersions(tx, [plan.id]);
    const target = versions.find((v) => v.id === plan.currentVersionId)!;
    const from = input.fromVersion === undefined ? undefined : versions.find((v) => v.version === input.fromVersion);
    if (input.fromVersion !== undefined && (!from || from.id === target.id)) {
      const message = `Version ${input.fromVersion} is not an older version of this plan`;
      throw new AppError('VALIDATION_FAILED', message, [{ path: 'body.fromVersion', message }]);
    }
    const { moved, skipped } = await moveSubscriptionsToVersion(tx, { planId: plan.id, toVersionId: target.id, fromVersionId: from?.id });
    await recordAuditEvent(tx, {
      agencyId, ...auditOrigin(input.actor), action: 'plan.subscribers_moved', target: { type: 'plan', id: plan.id },
      after: { toVersion: target.version, fromVersion: input.fromVersion ?? null, moved: moved.length, skipped, tenantIds: moved.map((m) => m.tenantId) },
    });
    for (const { tenantId, fromVersionId } of moved) {
      // A new version with fewer agents pauses each business's newest extra ones, as any downgrade does.
      await enforceAgentLimit(tx, { agencyId, tenantId, limit: target.entitlements.agents, origin: auditOrigin(input.actor), planVersionId: target.id });
      const row = (await findSubscription(tx, { agencyId, tenantId }))!;
      await publishSubscriptionEvent(tx, deps.events, {
        type: 'subscription.changed', agencyId, subscription: subscriptionViewOf(row, plan, target),
        extra: { previousPlanVersionId: fromVersionId, reason: 'moved_to_new_version' },
      });
    }
    return { moved: moved.length, skipped, toVersion: target.version };
  });
}
