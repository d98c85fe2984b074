import { fail } from '@sveltejs/kit';
import { ApiError } from '#lib/server/api.js';
import { throttledMessage } from '#lib/server/throttled.js';
import type { Actions } from './$types';

type Errors = Partial<Record<'form' | 'email', string>>;
const problems = (value: Errors): Errors => value;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const actions: Actions = {
  default: async ({ request, locals }) => {
    const email = String((await request.formData()).get('email') ?? '').trim();
    if (!EMAIL.test(email)) return fail(400, { email, errors: problems({ email: 'Enter an email address like name@example.com.' }) });
    let mailConfigured: boolean;
    try {
      mailConfigured = (await locals.api.requestPasswordReset(email)).mailConfigured !== false;
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      if (err.status === 429) return fail(429, { email, errors: problems({ form: throttledMessage(err, 'password reset requests') }) });
      return fail(503, { email, errors: problems({ form: 'Password reset isn’t available right now. Please try again in a few minutes.' }) });
    }
    // The same answer whether or not the address has an account (no account discovery); without a mail
    // server nothing can be sent to anyone, and saying so reveals nothing about the address.
    return { email, sent: true, mailConfigured };
  },
};
