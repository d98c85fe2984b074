import { fail, redirect } from '@sveltejs/kit';
import { ApiError } from '#lib/server/api.js';
import { signIn, whoAmI } from '#lib/server/session.js';
import { config } from '#lib/server/config.js';
import { throttledMessage } from '#lib/server/throttled.js';
import type { Actions, PageServerLoad } from './$types';

const GOOGLE_ERRORS: Record<string, string> = {
  google_cancelled: 'Google sign-in was cancelled.',
  google_failed: 'Google sign-in did not work. Try again, or use your email and password.',
  google_state_invalid: 'That Google sign-in took too long or was opened in another browser. Please try again.',
  google_account_not_linked: 'No Switchboard account uses that Google address. Ask whoever runs Switchboard for you to invite you.',
  google_email_unverified: 'Google has not verified that address yet. Verify it with Google, or sign in with your email and password.',
  google_account_mismatch: 'Your account is linked to a different Google account. Use that one, or your email and password.',
  account_suspended: 'This account is suspended. Ask your agency.',
};
let googleCheck: { at: number; enabled: boolean } | undefined;

/** Whether the API offers Google sign-in (it answers its start route with a redirect), checked once a minute. */
async function googleEnabled(): Promise<boolean> {
  if (googleCheck && Date.now() - googleCheck.at < 60_000) return googleCheck.enabled;
  const enabled = await fetch(`${config.backendUrl}/api/v1/auth/google`, { redirect: 'manual', signal: AbortSignal.timeout(config.backendTimeoutMs) })
    .then((res) => res.status === 302, () => false);
  googleCheck = { at: Date.now(), enabled };
  return enabled;
}

export const load: PageServerLoad = async ({ url }) => {
  const error = url.searchParams.get('error');
  return {
    google: await googleEnabled(),
    notice: url.searchParams.get('reset') === 'done' ? 'Your password was changed. Sign in with the new one.' : null,
    problem: error ? (GOOGLE_ERRORS[error] ?? 'Signing in did not work. Please try again.') : null,
  };
};

type Field = 'email' | 'password';
type SignInErrors = Partial<Record<Field | 'form', string>>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const actions: Actions = {
  default: async ({ request, locals, cookies, url }) => {
    const data = await request.formData();
    const email = String(data.get('email') ?? '').trim();
    const password = String(data.get('password') ?? '');

    const errors = checkFields(email, password);
    if (Object.keys(errors).length > 0) return fail(400, { email, errors });

    try {
      await signIn({ cookies, url, api: locals.api }, { email, password });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      const [status, apiErrors] = explain(err, locals.requestId);
      return fail(status, { email, errors: apiErrors });
    }
    const next = url.searchParams.get('next');
    // Only a path on this site (never //host or a full URL): no open redirect.
    if (next && /^\/(?!\/)/.test(next)) redirect(303, next);
    const me = await whoAmI({ cookies, requestId: locals.requestId });
    redirect(303, me && !me.tenantId ? '/agency' : '/home');
  },
};

function checkFields(email: string, password: string): SignInErrors {
  const errors: SignInErrors = {};
  if (!email) errors.email = 'Enter your email address.';
  else if (!EMAIL.test(email)) errors.email = 'Enter an email address like name@example.com.';
  if (!password) errors.password = 'Enter your password.';
  return errors;
}

/** Turns a failed login call into the status and messages the form shows. */
function explain(err: ApiError, requestId: string): [number, SignInErrors] {
  if (err.status === 400 && err.code === 'VALIDATION_FAILED') {
    const { email, password } = err.fieldErrors();
    return [400, email || password ? { email, password } : { form: 'Check your email address and password.' }];
  }
  if (err.status === 401) return [401, { form: 'Email or password is incorrect.' }];
  if (err.status === 429) return [429, { form: throttledMessage(err, 'sign-in attempts') }];
  const { code, status, message } = err;
  console.warn(JSON.stringify({ level: 'warn', msg: 'sign-in failed', requestId, code, status, err: message }));
  return [503, { form: 'Signing in isn’t available right now. Please try again in a few minutes.' }];
}
