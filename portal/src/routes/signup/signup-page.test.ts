import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import Page from './+page.svelte';
import VerifyPage from './verify/+page.svelte';
import type { SignupOffer, SignupPlan } from './signup-types.js';

const AGENCY = '0b7f3c1e-8a0d-4f6e-9a3b-2c1d0e9f8a7b';
const entitlements = { agents: 2, seats: 5, channels: ['sms', 'web_chat'], features: [], allowances: { sms_segments: 500, voice_minutes: 0, whatsapp_messages: 0, ai_tokens: 0, ai_replies: 0 } };
const plan = (overrides: Partial<SignupPlan> = {}): SignupPlan => ({
  id: 'a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d', name: 'Growth', description: 'For busy shops', currency: 'usd', monthlyPriceMinor: 4900, yearlyPriceMinor: 49000, trialDays: 14, entitlements, ...overrides,
});
const offer = (overrides: Partial<SignupOffer> = {}): SignupOffer => ({ agency: { id: AGENCY }, plans: [plan()], available: true, message: null, ...overrides });
const page = (data: { offer: SignupOffer | null; problem: string | null }, form: unknown = null) => render(Page, { props: { data, form } as never }).body;

describe('the public sign-up page', () => {
  it('when sign-up is open, then it shows each plan with prices, trial and what is included, and the form', () => {
    const body = page({ offer: offer(), problem: null });
    expect(body).toContain('Growth');
    expect(body).toContain('$49.00 a month');
    expect(body).toContain('$490.00 a year');
    expect(body).toContain('14-day free trial');
    expect(body).toContain('2 AI agents');
    expect(body).toContain('name="businessName"');
    expect(body).toContain('name="password"');
    expect(body).toContain(`value="${AGENCY}"`);
    expect(body).toContain('Yearly');
  });

  it('when the agency has not turned sign-up on, then it says so and shows no form', () => {
    const body = page({ offer: null, problem: 'Sign-up is not available here. Ask the business that sent you the link.' });
    expect(body).toContain('Sign-up is not available here');
    expect(body).not.toContain('name="password"');
  });

  it('when the server cannot send mail, then the page says sign-up is unavailable', () => {
    const body = page({ offer: offer({ available: false, message: 'Sign-up is unavailable right now: this server cannot send the e-mail that confirms your address.' }), problem: null });
    expect(body).toContain('cannot send the e-mail');
    expect(body).not.toContain('name="password"');
  });

  it('when the request went out, then it says to check the inbox and names the address', () => {
    const body = page({ offer: offer(), problem: null }, { values: {}, errors: {}, sent: { email: 'rosa@example.com', message: 'Check your inbox: we sent you a link.' } });
    expect(body).toContain('Check your inbox');
    expect(body).toContain('rosa@example.com');
  });

  it('when a field was wrong, then its sentence shows beside it and the other values are kept', () => {
    const body = page({ offer: offer(), problem: null }, { values: { businessName: 'Bloom', email: 'rosa@' }, errors: { email: 'Enter an e-mail address you can open now' }, sent: null });
    expect(body).toContain('Enter an e-mail address you can open now');
    expect(body).toContain('value="Bloom"');
  });
});

describe('the verify page', () => {
  it('when the link is complete, then a button (not the link itself) creates the account', () => {
    const body = render(VerifyPage, { props: { data: { agencyId: AGENCY, token: 'x'.repeat(43), problem: null }, form: null } as never }).body;
    expect(body).toContain('Create my account and continue to payment');
    expect(body).toContain('method="POST"');
  });

  it('when the link was used or expired, then the API\'s sentence and a way back show', () => {
    const body = render(VerifyPage, { props: { data: { agencyId: AGENCY, token: 'x'.repeat(43), problem: null }, form: { error: 'This sign-up link is invalid, already used or expired.' } } as never }).body;
    expect(body).toContain('already used or expired');
    expect(body).toContain(`/signup?agency=${AGENCY}`);
  });
});
