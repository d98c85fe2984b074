import type { Actor } from '../../http/request-context.js';
import { actorId } from '../auth/principal.js';
import { auditOrigin } from '../audit/audit-actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { agencyCurrency } from '../billing-account/agency-billing-credentials.js';
import type { PlanDeps } from './plan-deps.js';
import { findPlan, insertPlan, updatePlan } from './plan-repository.js';
import { insertPlanVersion } from './plan-version-repository.js';
import { planViewOf } from './plan-view.js';
import type { CreatePlanBody, PlanView } from './schemas.js';
import { syncPlanToStripe } from './sync-plan-to-stripe.js';

/** A new plan with its version 1, saved (audited) first, then mirrored to the agency's Stripe account. */
export async function createPlan(deps: PlanDeps, input: { actor: Actor; body: CreatePlanBody }): Promise<PlanView> {
  const { agencyId } = input.actor.principal;
  const { body } = input;
  const planId = await deps.runInScope({ agencyId }, async (tx) => {
    const currency = body.currency ?? (await agencyCurrency(tx, agencyId));
    const plan = await insertPlan(tx, { agencyId, name: body.name, description: body.description, currency });
    const terms = { monthlyPriceMinor: body.monthlyPriceMinor, yearlyPriceMinor: body.yearlyPriceMinor, trialDays: body.trialDays, entitlements: body.entitlements };
    const version = await insertPlanVersion(tx, { ...terms, planId: plan.id, agencyId, version: 1, createdBy: actorId(input.actor.principal) });
    await updatePlan(tx, plan.id, { currentVersionId: version.id });
    await recordAuditEvent(tx, {
      agencyId, ...auditOrigin(input.actor), action: 'plan.created', target: { type: 'plan', id: plan.id },
      after: { name: plan.name, currency, version: 1, ...terms },
    });
    return plan.id;
  });
  await syncPlanToStripe(deps, { agencyId, planId });
  return deps.runInScope({ agencyId }, async (tx) => planViewOf(tx, (await findPlan(tx, { agencyId, planId }))!));
}
