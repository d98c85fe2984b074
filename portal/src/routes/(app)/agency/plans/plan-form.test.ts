import { describe, expect, it } from 'vitest';
import { readPlanForm } from './plan-form.js';

const form = (fields: Record<string, string | string[]>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) data.append(name, v);
  return data;
};

describe('the plan form', () => {
  it('when a plan is filled in, then the body carries minor units, limits (empty = unlimited) and ticked channels', () => {
    const { body, errors } = readPlanForm(form({
      name: 'Growth', description: '', monthlyPrice: '49.90', yearlyPrice: '499', trialDays: '14', agents: '3', seats: '',
      channels: ['sms', 'web_chat'], features: ['audit.export'], sms_segments: '1000', voice_minutes: '', whatsapp_messages: '0', ai_tokens: '500000', ai_replies: '300',
    }), 'usd');
    expect(errors).toEqual({});
    expect(body).toMatchObject({ name: 'Growth', monthlyPriceMinor: 4990, yearlyPriceMinor: 49900, trialDays: 14 });
    expect(body.entitlements).toEqual({
      agents: 3, seats: null, channels: ['sms', 'web_chat'], features: ['audit.export'],
      allowances: { sms_segments: 1000, voice_minutes: 0, whatsapp_messages: 0, ai_tokens: 500000, ai_replies: 300 },
    });
  });

  it('when fields are wrong, then each gets its own sentence', () => {
    const { errors } = readPlanForm(form({ name: '', monthlyPrice: '19.999.1', yearlyPrice: '-1', agents: '2.5', sms_segments: 'lots' }), 'usd');
    expect(Object.keys(errors).sort()).toEqual(['agents', 'monthlyPrice', 'name', 'sms_segments', 'yearlyPrice']);
  });
});
