import { AppError } from '../../http/errors.js';
import type { SubscriptionInterval } from '../plans/subscription-repository.js';
import type { SignupPlanView } from './schemas.js';
import type { OpenSignup } from './signup-agency.js';

/** The plan the visitor chose, if sign-up can sell it now at that interval; else why not (409 or a 400 naming the field). */
export function chosenOfferedPlan(open: OpenSignup, choice: { planId: string; interval: SubscriptionInterval }): SignupPlanView {
  if (!open.ready) throw new AppError('CONFLICT', open.reason!, { reason: 'signup_unavailable' });
  const plan = open.plans.find((offered) => offered.id === choice.planId);
  if (!plan) throw new AppError('VALIDATION_FAILED', 'Choose one of the plans on offer', [{ path: 'body.planId', message: 'is not offered' }]);
  if (choice.interval === 'year' && plan.yearlyPriceMinor === null) {
    throw new AppError('VALIDATION_FAILED', 'This plan has no yearly price', [{ path: 'body.interval', message: 'this plan is billed monthly only' }]);
  }
  return plan;
}
