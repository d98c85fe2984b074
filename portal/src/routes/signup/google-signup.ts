import type { SignupErrors, SignupValues } from './signup-form.js';

/**
 * "Continue with Google" on /signup: the same form without e-mail and password (Google supplies and verifies the
 * address). The portal checks the fields it uses, then sends the browser to the API, which keeps them in the
 * server-side OAuth state while the visitor is at Google.
 */
export function googleFieldErrors(errors: SignupErrors): SignupErrors {
  const { email: _email, password: _password, ...rest } = errors;
  return rest;
}

/** Where the browser goes to start: the API's start route with the form (same origin, as /api/v1/auth/google). */
export function googleSignupLocation(values: SignupValues, agencyId: string | null): string {
  const { businessName, name, timeZone, planId, interval } = values;
  const query = new URLSearchParams({ ...(agencyId ? { agencyId } : {}), businessName, name, timeZone, planId, interval });
  return `/api/v1/signup/google?${query}`;
}

export type GoogleSignupResult = { title: string; message: string; next: 'account' | 'signup' | 'sign-in' };

const NOTHING = 'Nothing was created.';
const RESULTS: Record<string, GoogleSignupResult> = {
  account_exists: {
    title: 'You already have an account',
    message: 'That Google account or its e-mail address already has a Switchboard account, so nothing new was created. Continue to your account.',
    next: 'account',
  },
  signup_unavailable: { title: 'Sign-up is not available', message: `Sign-up is not available here right now. ${NOTHING} Ask the business that sent you the link.`, next: 'signup' },
  plan_not_offered: { title: 'That plan is no longer offered', message: `The plan you chose can no longer be bought online. ${NOTHING} Choose a plan again.`, next: 'signup' },
  google_state_invalid: {
    title: 'Please start again',
    message: `That Google sign-up took too long or was finished in another browser. ${NOTHING} Start again from the sign-up page.`,
    next: 'signup',
  },
  google_email_unverified: {
    title: 'Google has not verified that address',
    message: `Google has not verified that e-mail address yet. ${NOTHING} Verify it with Google, or sign up with your e-mail and a password.`,
    next: 'signup',
  },
  google_account_mismatch: {
    title: 'That address has an account already',
    message: `That e-mail address has an account linked to a different Google account. ${NOTHING} Sign in with that Google account or your password.`,
    next: 'sign-in',
  },
  throttled: { title: 'Too many sign-ups', message: `Too many sign-ups were started from your address. ${NOTHING} Please wait an hour and try again.`, next: 'signup' },
  account_suspended: { title: 'Account suspended', message: `The account of that Google address is suspended. ${NOTHING} Ask your provider.`, next: 'sign-in' },
};

/** The sentence for a result code from the API's Google sign-up routes (an unknown code gets a general one). */
export function googleSignupResult(code: string): GoogleSignupResult {
  return RESULTS[code] ?? { title: 'Google sign-up did not work', message: `Signing up with Google did not work. ${NOTHING} Please try again.`, next: 'signup' };
}
