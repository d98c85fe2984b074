import { fail } from '@sveltejs/kit';
import { backendJson, explainFailure } from '../../session-api.server.js';
import { readSignupSettingsForm, type SignupSettings } from './signup-settings-form.js';
import type { Actions, PageServerLoad } from './$types';

const PATH = '/api/v1/agency/billing/self-signup';

export const load: PageServerLoad = async (event) => {
  try {
    return { settings: await backendJson<SignupSettings>(event, 'GET', PATH), loadError: null };
  } catch (err) {
    return { settings: null, loadError: explainFailure(err).message };
  }
};

export const actions: Actions = {
  default: async (event) => {
    const data = await event.request.formData();
    try {
      const current = await backendJson<SignupSettings>(event, 'GET', PATH);
      const saved = await backendJson<SignupSettings>(event, 'PUT', PATH, readSignupSettingsForm(data, current.plans));
      return { done: saved.enabled ? 'Self sign-up is on. Share the link below.' : 'Self sign-up is off.' };
    } catch (err) {
      const { status, message } = explainFailure(err);
      return fail(status, { error: message });
    }
  },
};
