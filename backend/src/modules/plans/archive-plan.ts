import type { Actor } from '../../http/request-context.js';
import { auditOrigin } from '../audit/audit-actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { requirePlan } from './get-plan.js';
import type { PlanDeps } from './plan-deps.js';
import { updatePlan } from './plan-repository.js';
import { markVersionsPending } from './plan-version-repository.js';
import { planViewOf } from './plan-view.js';
import type { PlanView } from './schemas.js';
import { syncPlanToStripe } from './sync-plan-to-stripe.js';

/**
 * Archives a plan: it can no longer be assigned, its Stripe prices and product are archived (active
 * false). Existing subscribers keep their version. Archiving twice is harmless.
 */
export async function archivePlan(deps: PlanDeps, input: { actor: Actor; planId: string }): Promise<PlanView> {
  const { agencyId } = input.actor.principal;
  await deps.runInScope({ agencyId }, async (tx) => {
    const plan = await requirePlan(tx, { agencyId, planId: input.planId }, { forUpdate: true });
    if (plan.archivedAt) return;
    await updatePlan(tx, plan.id, { archived: true });
    await markVersionsPending(tx, plan.id);
    await recordAuditEvent(tx, {
      agencyId, ...auditOrigin(input.actor), action: 'plan.archived', target: { type: 'plan', id: plan.id }, before: { name: plan.name, archivedAt: null },
    });
  });
  await syncPlanToStripe(deps, { agencyId, planId: input.planId });
  return deps.runInScope({ agencyId }, async (tx) => planViewOf(tx, await requirePlan(tx, { agencyId, planId: input.planId })));
}
