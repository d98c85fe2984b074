import { expect } from 'chai';
import { entitlementsSchema, sameEntitlements, type Entitlements } from '../../src/modules/plans/entitlements.js';
import { periodEnd } from '../../src/modules/plans/assign-subscription.js';
import { createPlanBody, updatePlanBody } from '../../src/modules/plans/schemas.js';

const starter: Entitlements = {
  agents: 1, seats: null, channels: ['sms', 'web_chat'], features: ['audit.export'],
  allowances: { sms_segments: 500, voice_minutes: 0, whatsapp_messages: 0, ai_tokens: 100_000, ai_replies: 200 },
};

describe('plans: entitlements, money and billing periods', () => {
  it('when entitlements name a channel or feature we do not have, repeat one, or give a negative allowance, then they are refused', () => {
    expect(entitlementsSchema.safeParse(starter).success).to.equal(true);
    expect(entitlementsSchema.safeParse({ ...starter, channels: ['fax'] }).success).to.equal(false);
    expect(entitlementsSchema.safeParse({ ...starter, channels: ['sms', 'sms'] }).success).to.equal(false);
    expect(entitlementsSchema.safeParse({ ...starter, features: ['no.such.flag'] }).success).to.equal(false);
    expect(entitlementsSchema.safeParse({ ...starter, allowances: { ...starter.allowances, sms_segments: -1 } }).success).to.equal(false);
    expect(entitlementsSchema.safeParse({ ...starter, allowances: { ...starter.allowances, emails: 5 } }).success).to.equal(false);
    expect(entitlementsSchema.safeParse({ ...starter, agents: 1.5 }).success).to.equal(false);
  });

  it('when two entitlement sets differ only in order (as jsonb hands them back), then they are the same terms', () => {
    const reordered = { allowances: { ...starter.allowances }, features: [...starter.features], channels: ['web_chat', 'sms'], seats: null, agents: 1 } as Entitlements;
    expect(sameEntitlements(starter, reordered)).to.equal(true);
    expect(sameEntitlements(starter, { ...starter, agents: 2 })).to.equal(false);
    expect(sameEntitlements(starter, { ...starter, allowances: { ...starter.allowances, ai_replies: 201 } })).to.equal(false);
  });

  it('when a price is a fraction of a cent, negative, above Stripe\'s ceiling or a string, then the body is refused', () => {
    const body = { name: 'Starter', monthlyPriceMinor: 1900, entitlements: starter };
    expect(createPlanBody.safeParse(body).success).to.equal(true);
    for (const monthlyPriceMinor of [19.5, -1, 100_000_000, '1900']) expect(createPlanBody.safeParse({ ...body, monthlyPriceMinor }).success).to.equal(false);
    expect(updatePlanBody.safeParse({}).success, 'an edit changes something').to.equal(false);
    expect(updatePlanBody.safeParse({ yearlyPriceMinor: null }).success, 'null removes the yearly price').to.equal(true);
  });

  it('when a period starts at the end of a long month, then it ends on the last day of the next (as Stripe bills)', () => {
    const at = (iso: string) => new Date(iso);
    expect(periodEnd(at('2025-01-31T10:00:00Z'), 'month').toISOString()).to.equal('2025-02-28T10:00:00.000Z');
    expect(periodEnd(at('2024-01-31T10:00:00Z'), 'month').toISOString()).to.equal('2024-02-29T10:00:00.000Z');
    expect(periodEnd(at('2025-03-15T08:30:00Z'), 'month').toISOString()).to.equal('2025-04-15T08:30:00.000Z');
    expect(periodEnd(at('2025-12-31T00:00:00Z'), 'month').toISOString()).to.equal('2026-01-31T00:00:00.000Z');
    expect(periodEnd(at('2024-02-29T12:00:00Z'), 'year').toISOString()).to.equal('2025-02-28T12:00:00.000Z');
  });
});
