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

describe('the billing column as rendered', () => {
  const plans = [{ id: 'p', name: 'Growth', version: 2, yearly: true, trialDays: 14 }];

  it('when a tenant is past due within the grace, then it shows Past due, the overdue flag and the date service continues until', async () => {
    const { render } = await import('svelte/server');
    const { default: BillingColumn } = await import('./BillingColumn.svelte');
    const { body } = render(BillingColumn, { props: { tenantId: 't', billing: column({ status: 'past_due', billing: 'manual', pastDue: true, graceUntil: '2026-12-10T00:00:00.000Z' }), plans, currency: 'usd', form: null } });
    expect(body).toContain('Past due');
    expect(body).toContain('Payment overdue · service continues until 2026-12-10');
    expect(body).toContain('Change plan');
    expect(body).toContain('Grant trial');
  });

  it('when Stripe bills the tenant, then the column says the plan changes through Stripe instead of offering a hand-made change', async () => {
    const { render } = await import('svelte/server');
    const { default: BillingColumn } = await import('./BillingColumn.svelte');
    const { body } = render(BillingColumn, { props: { tenantId: 't', billing: column(), plans, currency: 'usd', form: null } });
    expect(body).toContain('pays through Stripe');
    expect(body).not.toContain('action="?/assignPlan"');
  });
});
