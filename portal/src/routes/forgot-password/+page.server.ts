import { fail } from '@sveltejs/kit';
import { ApiError } from '#lib/server/api.js';
import type { Actions } from './$types';

type Errors = Partial<Record<'form' | 'email', string>>;
const problems = (value: Errors): Errors => value;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const actions: Actions = {
  default: async ({ request, locals }) => {
    const email = String((await request.formData()).get('email') ?? '').trim();
    if (!EMAIL.test(email)) return fail(400, { email, errors: problems({ email: 'Enter an email address like name@example.com.' }) });
    try {
      await locals.api.requestPasswordReset(email);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      if (err.status === 429) return fail(429, { email, errors: problems({ form: 'Too many requests. Wait a minute, then try again.' }) });
      return fail(503, { email, errors: problems({ form: 'Password reset isn’t available right now. Please try again in a few minutes.' }) });
    }
    // The same answer whether or not the address has an account (no account discovery).
    return { email, sent: true };
  },
};
