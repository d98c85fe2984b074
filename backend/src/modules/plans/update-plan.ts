import { AppError } from '../../http/errors.js';
import type { Actor } from '../../http/request-context.js';
import { actorId } from '../auth/principal.js';
import { auditOrigin } from '../audit/audit-actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { sameEntitlements } from './entitlements.js';
import { requirePlan } from './get-plan.js';
import type { PlanDeps } from './plan-deps.js';
import { updatePlan } from './plan-repository.js';
import { findPlanVersion, insertPlanVersion, markVersionsPending, replaceVersionTerms, type PlanTerms } from './plan-version-repository.js';
import { planViewOf } from './plan-view.js';
import type { PlanView, UpdatePlanBody } from './schemas.js';
import { countSubscribersByVersion } from './subscription-repository.js';
import { syncPlanToStripe } from './sync-plan-to-stripe.js';

export type UpdateOutcome = 'unchanged' | 'edited_in_place' | 'new_version';

const sameTerms = (a: PlanTerms, b: PlanTerms) =>
  a.monthlyPriceMinor === b.monthlyPriceMinor && a.yearlyPriceMinor === b.yearlyPriceMinor && a.trialDays === b.trialDays && sameEntitlements(a.entitlements, b.entitlements);

/**
 * Edits a plan. Name and description edit the plan (and its Stripe product). New terms (prices, trial,
 * entitlements) never change what a subscriber bought: when the current version has subscribers they
 * become version N+1 (subscribers stay on N until moved); without subscribers version N is edited in place.
 */
export async function updatePlanTerms(deps: PlanDeps, input: { actor: Actor; planId: string; body: UpdatePlanBody }): Promise<{ plan: PlanView; outcome: UpdateOutcome }> {
  const { agencyId } = input.actor.principal;
  const { body } = input;
  const outcome = await deps.runInScope({ agencyId }, async (tx) => {
    const plan = await requirePlan(tx, { agencyId, planId: input.planId }, { forUpdate: true });
    if (plan.archivedAt) throw new AppError('CONFLICT', 'This plan is archived: create a new plan instead');
    const current = (await findPlanVersion(tx, { agencyId, versionId: plan.currentVersionId }))!;
    const terms: PlanTerms = {
      monthlyPriceMinor: body.monthlyPriceMinor ?? current.monthlyPriceMinor,
      yearlyPriceMinor: body.yearlyPriceMinor === undefined ? current.yearlyPriceMinor : body.yearlyPriceMinor,
      trialDays: body.trialDays ?? current.trialDays,
      entitlements: body.entitlements ?? current.entitlements,
    };
    const renamed = (body.name !== undefined && body.name !== plan.name) || (body.description !== undefined && body.description !== plan.description);
    let result: UpdateOutcome = 'unchanged';
    let version = current;
    if (!sameTerms(terms, current)) {
      const subscribers = (await countSubscribersByVersion(tx, [current.id])).get(current.id) ?? 0;
      if (subscribers > 0) {
        version = await insertPlanVersion(tx, { ...terms, planId: plan.id, agencyId, version: current.version + 1, createdBy: actorId(input.actor.principal) });
        result = 'new_version';
      } else {
        version = await replaceVersionTerms(tx, current, terms);
        result = 'edited_in_place';
      }
    }
    if (result === 'unchanged' && !renamed) return result;
    await updatePlan(tx, plan.id, { name: body.name, description: body.description, currentVersionId: version.id });
    if (renamed) await markVersionsPending(tx, plan.id);
    await recordAuditEvent(tx, {
      agencyId, ...auditOrigin(input.actor), action: result === 'new_version' ? 'plan.version_created' : 'plan.updated',
      target: { type: 'plan', id: plan.id },
      before: { name: plan.name, description: plan.description, version: current.version, ...termsOf(current) },
      after: { name: body.name ?? plan.name, description: body.description ?? plan.description, version: version.version, ...terms },
    });
    return result === 'unchanged' ? 'edited_in_place' : result;
  });
  if (outcome !== 'unchanged') await syncPlanToStripe(deps, { agencyId, planId: input.planId });
  return { plan: await deps.runInScope({ agencyId }, async (tx) => planViewOf(tx, await requirePlan(tx, { agencyId, planId: input.planId }))), outcome };
}

const termsOf = (v: PlanTerms): PlanTerms => ({ monthlyPriceMinor: v.monthlyPriceMinor, yearlyPriceMinor: v.yearlyPriceMinor, trialDays: v.trialDays, entitlements: v.entitlements });
