import { fail, redirect } from '@sveltejs/kit';
import { ApiError } from '#lib/server/api.js';
import { signIn, whoAmI } from '#lib/server/session.js';
import type { Actions } from './$types';

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
      await signIn({ cookies, url, requestId: locals.requestId }, { email, password });
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
  if (err.status === 429) return [429, { form: 'Too many sign-in attempts. Wait a minute, then try again.' }];
  const { code, status, message } = err;
  console.warn(JSON.stringify({ level: 'warn', msg: 'sign-in failed', requestId, code, status, err: message }));
  return [503, { form: 'Signing in isn’t available right now. Please try again in a few minutes.' }];
}
