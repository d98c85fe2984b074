import type { Actor } from '../../http/request-context.js';
import { requirePlan } from './get-plan.js';
import type { PlanDeps } from './plan-deps.js';
import { planViewOf } from './plan-view.js';
import type { PlanView } from './schemas.js';
import { syncPlanToStripe } from './sync-plan-to-stripe.js';

/** "Retry sync": mirrors the plan to Stripe again (nothing is made twice: creations are idempotent). */
export async function retryPlanSync(deps: PlanDeps, input: { actor: Actor; planId: string }): Promise<PlanView> {
  const { agencyId } = input.actor.principal;
  await deps.runInScope({ agencyId }, (tx) => requirePlan(tx, { agencyId, planId: input.planId }));
  await syncPlanToStripe(deps, { agencyId, planId: input.planId });
  return deps.runInScope({ agencyId }, async (tx) => planViewOf(tx, await requirePlan(tx, { agencyId, planId: input.planId })));
}
