import { fail, redirect } from '@sveltejs/kit';
import { ApiError } from '#lib/server/api.js';
import type { Actions, PageServerLoad } from './$types';

type Errors = Partial<Record<'form' | 'password' | 'repeat', string>>;
const problems = (value: Errors): Errors => value;

export const load: PageServerLoad = ({ url }) => ({ token: url.searchParams.get('token') ?? '' });

export const actions: Actions = {
  default: async ({ request, locals }) => {
    const data = await request.formData();
    const token = String(data.get('token') ?? '');
    const password = String(data.get('password') ?? '');
    const repeat = String(data.get('repeat') ?? '');
    if (password.length < 12) return fail(400, { errors: problems({ password: 'Choose a password of at least 12 characters.' }) });
    if (password !== repeat) return fail(400, { errors: problems({ repeat: 'The two passwords are not the same.' }) });
    try {
      await locals.api.confirmPasswordReset({ token, password });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      if (err.status === 400) {
        const fields = err.fieldErrors();
        return fail(400, { errors: problems(fields.password ? { password: fields.password } : { form: 'This reset link was already used or has expired. Ask for a new one.' }) });
      }
      return fail(503, { errors: problems({ form: 'Password reset isn’t available right now. Please try again in a few minutes.' }) });
    }
    redirect(303, '/sign-in?reset=done');
  },
};
