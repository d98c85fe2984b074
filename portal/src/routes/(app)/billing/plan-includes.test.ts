import { describe, expect, it } from 'vitest';
import { planIncludes, subscriptionStatusLabel } from './plan-includes.js';

describe('what a plan includes, in words', () => {
  it('when a plan has limits, channels and allowances, then each is one readable line and zero allowances are left out', () => {
    expect(planIncludes({
      agents: 1, seats: null, channels: ['sms', 'web_chat'], features: [],
      allowances: { sms_segments: 500, voice_minutes: 0, whatsapp_messages: 0, ai_tokens: 200000, ai_replies: 300 },
    })).toEqual(['1 AI agent', 'Unlimited team members', 'SMS, Web chat', '500 SMS segments a month', '200,000 AI tokens a month', '300 AI replies a month']);
  });

  it('when the status is past_due, then the owner reads "Payment failed"', () => {
    expect(subscriptionStatusLabel('past_due')).toBe('Payment failed');
  });
});
