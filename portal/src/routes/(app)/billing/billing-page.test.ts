import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import Page from './+page.svelte';
import type { Billing, Invoice, OfferedPlan } from './billing-types.js';

const entitlements = { agents: 2, seats: 5, channels: ['sms', 'web_chat'], features: [], allowances: { sms_segments: 500, voice_minutes: 0, whatsapp_messages: 0, ai_tokens: 0, ai_replies: 100 } };
const plan = (overrides: Partial<OfferedPlan>): OfferedPlan => ({
  id: 'p1', name: 'Starter', description: '', currency: 'usd', versionId: 'v1', version: 1, monthlyPriceMinor: 1900, yearlyPriceMinor: null, trialDays: 0,
  entitlements, current: false, payableOnline: true, ...overrides,
});

function billing(overrides: Partial<Billing> = {}): Billing {
  return {
    subscription: {
      id: 's1', status: 'active', billing: 'stripe', interval: 'month', plan: { id: 'p1', name: 'Starter', versionId: 'v1', version: 1 },
      currentPeriodStart: '2030-01-01T00:00:00.000Z', currentPeriodEnd: '2030-02-01T00:00:00.000Z', nextPaymentAt: '2030-02-01T00:00:00.000Z',
      trialEnd: null, trialDaysLeft: null, cancelAtPeriodEnd: false, pastDueSince: null,
    },
    entitlements, banner: null, payments: { online: true, customerPortal: true },
    plans: [plan({ current: true }), plan({ id: 'p2', name: 'Growth', monthlyPriceMinor: 4900, yearlyPriceMinor: 49000 })],
    ...overrides,
  };
}
const invoice: Invoice = { id: 'in_1', number: 'INV-0001', date: '2030-01-01T00:00:00.000Z', amountMinor: 1900, amountPaidMinor: 1900, currency: 'usd', status: 'paid', hostedUrl: 'https://pay.test/i/1', pdfUrl: 'https://pay.test/i/1.pdf' };
const page = (b: Billing, invoices: Invoice[] = [invoice]) =>
  render(Page, { props: { data: { billing: b, invoices, checkout: null, loadError: null, timeZone: 'UTC' }, form: null } as never }).body;

describe('the Billing page', () => {
  it('when the tenant pays by Stripe, then it shows the plan, next payment, what it includes, an upgrade posting to change, the portal and invoices', () => {
    const body = page(billing());
    expect(body).toContain('Starter');
    expect(body).toContain('Next payment');
    expect(body).toContain('Feb 1, 2030');
    expect(body).toContain('2 AI agents');
    expect(body).toContain('500 SMS segments a month');
    expect(body).toContain('Upgrade to Growth');
    expect(body).toContain('action="?/change"');
    expect(body).toContain('$49.00');
    expect(body).toContain('Manage payment methods and invoices');
    expect(body).toContain('INV-0001');
    expect(body).toContain('https://pay.test/i/1.pdf');
  });

  it('when the payment failed, then the banner says until when service continues and offers to update the card', () => {
    const body = page(billing({ banner: { kind: 'past_due', graceUntil: '2030-02-08T00:00:00.000Z', message: 'Your last payment failed. Everything keeps working until 2030-02-08' } }));
    expect(body).toContain('Your last payment failed');
    expect(body).toContain('Update payment method');
    expect(body).toContain('alert-warn');
  });

  it('when the tenant has no subscription, then plans post to Checkout with a trial shown', () => {
    const body = page(billing({ subscription: null, entitlements: null, payments: { online: true, customerPortal: false }, plans: [plan({ trialDays: 14 })] }), []);
    expect(body).toContain('No plan yet');
    expect(body).toContain('action="?/checkout"');
    expect(body).toContain('14-day free trial');
    expect(body).toContain('Choose Starter');
    expect(body).not.toContain('Manage payment methods');
    expect(body).toContain('No invoices yet.');
  });

  it('when the agency gave a trial by hand, then the owner can pay for that plan online through Checkout', () => {
    const b = billing();
    b.subscription = { ...b.subscription!, billing: 'manual', status: 'trialing', trialDaysLeft: 5, nextPaymentAt: null };
    const body = page(b, []);
    expect(body).toContain('5 days left');
    expect(body).toContain('Pay for Starter online');
    expect(body).toContain('action="?/checkout"');
    expect(body).toContain('Billed by your provider');
  });

  it('when the subscription is set to cancel, then it shows the end date and Keep my subscription', () => {
    const b = billing();
    b.subscription = { ...b.subscription!, cancelAtPeriodEnd: true, nextPaymentAt: null };
    const body = page(b);
    expect(body).toContain('Ends');
    expect(body).toContain('Keep my subscription');
    expect(body).not.toContain('Cancel at the end of the period');
  });
});
