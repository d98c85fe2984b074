import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import Page from './+page.svelte';
import type { Plan, PlanVersion } from './plans-types.js';

const version = (overrides: Partial<PlanVersion>): PlanVersion => ({
  id: 'v1', version: 1, monthlyPriceMinor: 4900, yearlyPriceMinor: 49000, trialDays: 14, subscriberCount: 0, createdAt: '2025-01-01T00:00:00.000Z',
  entitlements: { agents: 2, seats: null, channels: ['sms'], features: [], allowances: { sms_segments: 500, voice_minutes: 0, whatsapp_messages: 0, ai_tokens: 0, ai_replies: 0 } },
  stripeSync: { status: 'synced', error: null }, ...overrides,
});

const growth: Plan = {
  id: 'p1', name: 'Growth', description: 'For busy shops', currency: 'usd', stripeProductId: null, archivedAt: null, subscriberCount: 3,
  stripeSync: { status: 'failed', error: 'Stripe could not be reached or failed: boom' },
  current: version({ id: 'v2', version: 2, monthlyPriceMinor: 5900, subscriberCount: 1, stripeSync: { status: 'failed', error: 'Stripe could not be reached or failed: boom' } }),
  versions: [],
};
growth.versions = [growth.current, version({ subscriberCount: 2 })];

const data = {
  plans: [growth], flags: [{ key: 'audit.export', description: 'Export the audit trail' }], tenants: [{ tenantId: 't1', name: 'Acme Dental' }], loadError: null,
  billing: { source: 'none' as const, secretKeyLast4: null, mode: null, webhookConfigured: false, currency: 'usd', graceDays: 7, selfSignupEnabled: false, updatedAt: null },
};

describe('the Plans page', () => {
  it('when a plan failed to reach Stripe and has subscribers on an old version, then it shows price, error, Retry sync and Move', () => {
    const { body } = render(Page, { props: { data, form: null } as never });
    expect(body).toContain('$59.00');
    expect(body).toContain('$490.00 a year');
    expect(body).toContain('Stripe could not be reached or failed: boom');
    expect(body).toContain('Retry sync');
    expect(body).toContain('Move 2 subscribers to version 2');
    expect(body).toContain('v2: 1, v1: 2');
    expect(body).toContain('value="59.00"');
    expect(body).toContain('no Stripe account: plans are billed outside Switchboard');
    expect(body).toContain('Acme Dental');
  });
});
