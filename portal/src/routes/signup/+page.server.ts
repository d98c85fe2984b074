import { fail, redirect } from '@sveltejs/kit';
import { ApiError } from '#lib/server/api.js';
import { throttledMessage } from '#lib/server/throttled.js';
import { backendJson } from '../(app)/agency/session-api.server.js';
import { googleFieldErrors, googleSignupLocation } from './google-signup.js';
import { fieldOfIssue, keptValues, readSignupForm, type SignupErrors } from './signup-form.js';
import type { SignupOffer } from './signup-types.js';
import type { Actions, PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The page an agency shares: /signup?agency=<id> (the id is in the agency's Self sign-up settings). Without
 * ?agency the installation's agency is meant (an appliance has one).
 */
export const load: PageServerLoad = async (event) => {
  const agency = event.url.searchParams.get('agency') ?? '';
  const query = UUID.test(agency) ? `?agency=${agency}` : '';
  try {
    const offer = await backendJson<SignupOffer>(event, 'GET', `/api/v1/signup${query}`);
    return { offer, problem: null };
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return { offer: null, problem: 'Sign-up is not available here. Ask the business that sent you the link.' };
    return { offer: null, problem: 'Sign-up isn’t available right now. Please try again in a few minutes.' };
  }
};

export const actions: Actions = {
  default: async (event) => {
    const data = await event.request.formData();
    const { values, errors } = readSignupForm(data);
    const agencyId = String(data.get('agencyId') ?? '');
    const kept = keptValues(values);
    // "Continue with Google" submits the same form: e-mail and password are Google's business then.
    if (data.get('with') === 'google') {
      const problems = googleFieldErrors(errors);
      if (Object.keys(problems).length > 0) return fail(400, { values: kept, errors: problems, sent: null });
      redirect(303, googleSignupLocation(values, UUID.test(agencyId) ? agencyId : null));
    }
    if (Object.keys(errors).length > 0) return fail(400, { values: kept, errors, sent: null });
    try {
      const answer = await backendJson<{ message: string; mailConfigured: boolean }>(event, 'POST', '/api/v1/signup/requests', {
        ...values, ...(UUID.test(agencyId) ? { agencyId } : {}),
      });
      if (!answer.mailConfigured) return fail(503, { values: kept, errors: { form: answer.message } as SignupErrors, sent: null });
      return { values: kept, errors: {} as SignupErrors, sent: { email: values.email, message: answer.message } };
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      const problems: SignupErrors = {};
      if (err.status === 400) {
        for (const [path, message] of Object.entries(err.fieldErrors())) problems[fieldOfIssue(`body.${path}`)] = message;
        if (Object.keys(problems).length === 0) problems.form = err.message;
      } else if (err.status === 429) problems.form = throttledMessage(err, 'sign-up requests');
      else if (err.status < 500) problems.form = err.message;
      else problems.form = 'Sign-up isn’t available right now. Please try again in a few minutes.';
      return fail(err.status < 500 ? err.status : 503, { values: kept, errors: problems, sent: null });
    }
  },
};
