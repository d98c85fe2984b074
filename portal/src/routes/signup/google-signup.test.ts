import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import Page from './+page.svelte';
import ResultPage from './google/+page.svelte';
import { load } from './google/+page.server.js';
import { googleFieldErrors, googleSignupLocation, googleSignupResult } from './google-signup.js';
import { readSignupForm } from './signup-form.js';
import type { SignupOffer } from './signup-types.js';

const AGENCY = '0b7f3c1e-8a0d-4f6e-9a3b-2c1d0e9f8a7b';
const PLAN = 'a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d';
const entitlements = { agents: 2, seats: 5, channels: ['sms'], features: [], allowances: { sms_segments: 500, voice_minutes: 0, whatsapp_messages: 0, ai_tokens: 0, ai_replies: 0 } };
const offer = (google: boolean): SignupOffer => ({
  agency: { id: AGENCY }, available: true, message: null, google,
  plans: [{ id: PLAN, name: 'Growth', description: '', currency: 'usd', monthlyPriceMinor: 4900, yearlyPriceMinor: null, trialDays: 0, entitlements }],
});
const signupPage = (google: boolean) => render(Page, { props: { data: { offer: offer(google), problem: null }, form: null } as never }).body;

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries({ businessName: 'Bloom & Co', name: 'Rosa Petal', planId: PLAN, interval: 'month', timeZone: 'Europe/Berlin', ...fields })) data.set(key, value);
  return data;
}

describe('Continue with Google on /signup', () => {
  it('when Google sign-in is configured, then the button comes after the password button (Enter still sends the link); otherwise there is none', () => {
    const body = signupPage(true);
    expect(body).toContain('Continue with Google');
    expect(body).toContain('name="with" value="google"');
    expect(body.indexOf('Send me the confirmation link')).toBeLessThan(body.indexOf('Continue with Google'));
    expect(signupPage(false)).not.toContain('Continue with Google');
  });

  it('when the visitor goes to Google without e-mail and password, then only the fields Google does not supply are checked', () => {
    const { errors } = readSignupForm(form({ businessName: 'B' }));
    expect(googleFieldErrors(errors)).toEqual({ businessName: 'Enter your business name.' });
    expect(googleFieldErrors(readSignupForm(form({})).errors)).toEqual({});
  });

  it('when the form is fine, then the browser goes to the API start route with the form (and never e-mail or password)', () => {
    const { values } = readSignupForm(form({ email: 'rosa@example.com', password: 'correct horse battery' }));
    const location = new URL(googleSignupLocation(values, AGENCY), 'https://portal.test');
    expect(location.pathname).toBe('/api/v1/signup/google');
    expect(Object.fromEntries(location.searchParams)).toEqual({ agencyId: AGENCY, businessName: 'Bloom & Co', name: 'Rosa Petal', timeZone: 'Europe/Berlin', planId: PLAN, interval: 'month' });
    expect(googleSignupLocation(values, null)).not.toContain('agencyId');
  });
});

describe('the Google sign-up result page', () => {
  const result = (query: string) => {
    const data = load({ url: new URL(`https://portal.test/signup/google?${query}`) } as never) as ReturnType<typeof load> & object;
    return render(ResultPage, { props: { data } as never }).body;
  };

  it('when the visitor already had an account, then it says so (nothing new) and leads to the account', () => {
    const body = result('result=account_exists');
    expect(body).toContain('You already have an account');
    expect(body).toContain('nothing new was created');
    expect(body).toContain('href="/"');
  });

  it('when sign-up was off, the plan gone, the state stale or the address unverified, then it says nothing was created and leads back to sign-up', () => {
    for (const code of ['signup_unavailable', 'plan_not_offered', 'google_state_invalid', 'google_email_unverified', 'something_new']) {
      const body = result(`result=${code}&agency=${AGENCY}`);
      expect(body, code).toContain('Nothing was created.');
      expect(body, code).toContain(`href="/signup?agency=${AGENCY}"`);
    }
    expect(result('result=google_email_unverified')).toContain('Verify it with Google');
    expect(result('result=plan_not_offered&agency=not-a-uuid')).toContain('href="/signup"');
  });

  it('when the address belongs to an account linked to another Google account, then it leads to sign-in', () => {
    expect(googleSignupResult('google_account_mismatch').next).toBe('sign-in');
    expect(result('result=google_account_mismatch')).toContain('href="/sign-in"');
  });
});
