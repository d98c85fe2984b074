import { fail } from '@sveltejs/kit';
import { ApiError } from '#lib/server/api.js';
import { backendJson, explainFailure } from '../agency/session-api.server.js';
import type { RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';

export type LastTest = { at: string; ok: boolean; error: string | null } | null;
export type Saved = { level: 'agency' | 'tenant'; baseUrl: string; apiKeyLast4: string; model: string; fallbackModel: string | null; lastTest: LastTest; updatedAt: string };
export type Overview = {
  saved: Saved | null;
  effective: { source: 'tenant' | 'agency' | 'environment' | 'none'; baseUrl: string | null; model: string | null; fallbackModel: string | null; lastTest: LastTest };
};

// One page for both levels: at agency level the agency's default model, inside a client business its own override.
async function levelOf(event: RequestEvent): Promise<'agency' | 'tenant'> {
  const me = await backendJson<{ tenantId: string | null }>(event, 'GET', '/api/v1/auth/me');
  return me.tenantId ? 'tenant' : 'agency';
}
const base = (level: 'agency' | 'tenant') => (level === 'agency' ? '/api/v1/agency/ai-provider' : '/api/v1/ai/provider');

export const load: PageServerLoad = async (event) => {
  try {
    const level = await levelOf(event);
    return { level, overview: await backendJson<Overview>(event, 'GET', base(level)), loadError: null };
  } catch (err) {
    return { level: 'tenant' as const, overview: null, loadError: explainFailure(err).message };
  }
};

const text = (data: FormData, name: string) => String(data.get(name) ?? '').trim();
const FIELDS: Record<string, string> = { 'body.baseUrl': 'baseUrl', 'body.apiKey': 'apiKey', 'body.model': 'model', 'body.fallbackModel': 'fallbackModel' };

/** The backend's field messages beside their inputs; anything else above the form. */
function fieldErrors(err: unknown): Record<string, string> {
  const { message } = explainFailure(err);
  const details = err instanceof ApiError && Array.isArray(err.details) ? (err.details as { path: string; message: string }[]) : [];
  const errors: Record<string, string> = {};
  for (const issue of details) if (FIELDS[issue.path]) errors[FIELDS[issue.path]!] = issue.message;
  return Object.keys(errors).length > 0 ? errors : { form: message };
}

export const actions: Actions = {
  save: async (event) => {
    const data = await event.request.formData();
    const values = { baseUrl: text(data, 'baseUrl'), model: text(data, 'model'), fallbackModel: text(data, 'fallbackModel') };
    const apiKey = text(data, 'apiKey');
    const errors: Record<string, string> = {};
    if (!/^https?:\/\/\S+$/.test(values.baseUrl)) errors.baseUrl = 'Enter the API base URL, e.g. https://api.openai.com/v1';
    if (!values.model) errors.model = 'Enter the model name, e.g. gpt-4o-mini';
    if (Object.keys(errors).length > 0) return fail(400, { action: 'save', values, errors });
    try {
      const level = await levelOf(event);
      await backendJson(event, 'PUT', base(level), { ...values, fallbackModel: values.fallbackModel || null, ...(apiKey && { apiKey }) });
    } catch (err) {
      return fail(explainFailure(err).status, { action: 'save', values, errors: fieldErrors(err) });
    }
    return { action: 'save', done: 'Saved. Press “Test” to check that the model answers.' };
  },
  test: async (event) => {
    try {
      const result = await backendJson<{ model: string; answer: string }>(event, 'POST', `${base(await levelOf(event))}/test`, {});
      return { action: 'test', answer: result.answer, model: result.model };
    } catch (err) {
      // The provider's own error is what the person needs to see (wrong key, unknown model, unreachable).
      const message = err instanceof ApiError && err.code.startsWith('PROVIDER_') ? err.message : explainFailure(err).message;
      return fail(err instanceof ApiError ? err.status : 503, { action: 'test', errors: { form: message } });
    }
  },
  remove: async (event) => {
    try {
      await backendJson(event, 'DELETE', base(await levelOf(event)));
    } catch (err) {
      return fail(explainFailure(err).status, { action: 'remove', errors: { form: explainFailure(err).message } });
    }
    return { action: 'remove', done: 'Removed. The next level’s model applies.' };
  },
};
