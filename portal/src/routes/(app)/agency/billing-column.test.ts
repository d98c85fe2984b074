import { describe, expect, it } from 'vitest';
import { mrrLabel, planLine, totalMrrLabel, type TenantBilling } from './billing-column.js';

const column = (overrides: Partial<TenantBilling> = {}): TenantBilling => ({
  plan: { id: 'p', name: 'Growth', version: 2 }, status: 'active', billing: 'stripe', interval: 'month', mrrMinor: 4900, currency: 'usd',
  pastDue: false, graceUntil: null, ...overrides,
});

describe('the agency overview’s plan/billing column', () => {
  it('when a tenant pays yearly through Stripe, then the line names plan, version, how and period, and the MRR is exact', () => {
    expect(planLine(column({ interval: 'year', mrrMinor: 4167 }))).toBe('Growth v2 · paid through Stripe · yearly');
    expect(mrrLabel(column({ interval: 'year', mrrMinor: 4167 }), 'usd')).toBe('$41.67');
  });

  it('when a tenant has no plan, then it says so and its MRR is 0 in the agency currency', () => {
    expect(planLine(column({ plan: null, billing: null, interval: null, currency: null, mrrMinor: 0, status: 'none' }))).toBe('No plan');
    expect(mrrLabel(column({ currency: null, mrrMinor: 0 }), 'eur')).toBe('€0.00');
  });

  it('when plans are in two currencies, then the total shows both, never converted; zero-decimal currencies stay whole', () => {
    expect(totalMrrLabel({ currency: 'usd', mrrMinor: 123_456, otherCurrencies: [{ currency: 'jpy', mrrMinor: 5000 }] })).toBe('$1,234.56 + ¥5,000');
  });
});
