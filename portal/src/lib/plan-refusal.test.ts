import { describe, expect, it } from 'vitest';
import { ApiError } from './server/api-error.js';
import { planRefusalOf } from './plan-refusal.js';

const refused = (details: unknown, message = 'Your plan includes 3 AI agents and you have 3 switched on. Upgrade your plan to add another, or switch one off first.') =>
  new ApiError(402, 'PAYMENT_REQUIRED', message, details, 'req-1');

describe('plan refusals (402) read as a sentence with an upgrade link', () => {
  it('when the API refuses for the plan, then the sentence, code, limit, current value and the Billing page come through', () => {
    expect(planRefusalOf(refused({ code: 'PLAN_LIMIT', limit: 3, current: 3, upgradeUrl: '/billing', action: 'agent.create' }))).toEqual({
      code: 'PLAN_LIMIT', limit: 3, current: 3, upgradeUrl: '/billing',
      message: 'Your plan includes 3 AI agents and you have 3 switched on. Upgrade your plan to add another, or switch one off first.',
    });
    const channel = planRefusalOf(refused({ code: 'FEATURE_NOT_IN_PLAN', limit: null, current: null, upgradeUrl: '/billing' }, 'Your plan does not include Telegram. Upgrade your plan to connect it.'));
    expect(channel).toMatchObject({ code: 'FEATURE_NOT_IN_PLAN', limit: null, current: null, message: 'Your plan does not include Telegram. Upgrade your plan to connect it.' });
  });

  it('when the upgrade link is not a path on this portal, then it is the Billing page', () => {
    for (const upgradeUrl of ['https://evil.example/pay', '//evil.example', '/\\evil.example', 42, undefined]) {
      expect(planRefusalOf(refused({ code: 'PLAN_LIMIT', upgradeUrl }))?.upgradeUrl).toBe('/billing');
    }
  });

  it('when details are missing or odd, then it is still a refusal with the sentence, never a raw error', () => {
    expect(planRefusalOf(refused(undefined))).toMatchObject({ code: 'PLAN_LIMIT', limit: null, current: null, upgradeUrl: '/billing' });
    expect(planRefusalOf(refused({ code: 'SOMETHING_NEW', limit: '3' }))).toMatchObject({ code: 'PLAN_LIMIT', limit: null });
  });

  it('when the failure is anything else, then it is not a plan refusal', () => {
    expect(planRefusalOf(new ApiError(409, 'CONFLICT', 'No AI model is set up'))).toBeNull();
    expect(planRefusalOf(new ApiError(403, 'FORBIDDEN', 'Your role does not allow this.'))).toBeNull();
    expect(planRefusalOf(new Error('boom'))).toBeNull();
    expect(planRefusalOf(undefined)).toBeNull();
  });
});
