import type { Transaction } from 'sequelize';
import { AppError } from '../../http/errors.js';
import type { Actor } from '../../http/request-context.js';
import type { ScopedDeps } from '../../db/scoped-deps.js';
import { findPlan, listPlans, type PlanRow } from './plan-repository.js';
import { planViewOf, planViews } from './plan-view.js';
import type { PlanView } from './schemas.js';

/** The agency's plan (locked when asked), or 404: another agency's plan does not exist for this caller. */
export async function requirePlan(tx: Transaction, where: { agencyId: string; planId: string }, options: { forUpdate?: boolean } = {}): Promise<PlanRow> {
  const plan = await findPlan(tx, where, options);
  if (!plan) throw new AppError('NOT_FOUND', 'Plan not found');
  return plan;
}

export async function getPlan(deps: ScopedDeps, input: { actor: Actor; planId: string }): Promise<PlanView> {
  const { agencyId } = input.actor.principal;
  return deps.runInScope({ agencyId }, async (tx) => planViewOf(tx, await requirePlan(tx, { agencyId, planId: input.planId })));
}

/** Every plan of the agency (live first, then archived) with subscriber counts per plan and version. */
export async function listAgencyPlans(deps: ScopedDeps, input: { actor: Actor }): Promise<PlanView[]> {
  const { agencyId } = input.actor.principal;
  return deps.runInScope({ agencyId }, async (tx) => planViews(tx, await listPlans(tx, agencyId)));
}
