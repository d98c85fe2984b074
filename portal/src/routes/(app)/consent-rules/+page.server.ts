import { fail } from '@sveltejs/kit';
import { ApiError } from '#lib/server/api.js';
import { backendJson, explainFailure } from '../agency/session-api.server.js';
import type { Actions, PageServerLoad } from './$types';
import { CHANNELS, TEXTS, type ConsentRules } from './consent-rules.js';

/** The tenant's consent rules next to the defaults (what applies when a field is left as it came). */
export const load: PageServerLoad = async (event) => {
  try {
    const [rules, defaults] = await Promise.all([
      backendJson<ConsentRules>(event, 'GET', '/api/v1/messaging-settings'),
      backendJson<ConsentRules>(event, 'GET', '/api/v1/messaging-settings/defaults'),
    ]);
    return { rules, defaults, loadError: null };
  } catch (err) {
    return { rules: null, defaults: null, loadError: explainFailure(err).message };
  }
};

/** The API's field paths as this form's field names. */
const FORM_FIELD: Record<string, string> = {
  'sendingWindow.start': 'start', 'sendingWindow.end': 'end', 'frequencyCap.count': 'capCount', 'frequencyCap.hours': 'capHours',
};
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const text = (data: FormData, name: string) => String(data.get(name) ?? '').trim();
const whole = (value: string, min: number, max: number) => /^\d+$/.test(value) && Number(value) >= min && Number(value) <= max;

/** The form's values as the API's fields, with a message per field that is not right. */
function rulesFrom(data: FormData): { changes: Partial<ConsentRules>; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const window = { start: text(data, 'start'), end: text(data, 'end') };
  if (!HHMM.test(window.start)) errors.start = 'Use the 24-hour clock, e.g. 08:00.';
  if (!HHMM.test(window.end)) errors.end = 'Use the 24-hour clock, e.g. 21:00.';
  const replyWindow = text(data, 'replyWindowHours');
  if (!whole(replyWindow, 0, 168)) errors.replyWindowHours = 'Enter a whole number of hours from 0 (off) to 168 (a week).';
  const capped = data.get('capEnabled') === 'on';
  const capCount = text(data, 'capCount');
  const capHours = text(data, 'capHours');
  if (capped && !whole(capCount, 1, 1000)) errors.capCount = 'Enter how many messages, from 1 to 1000.';
  if (capped && !whole(capHours, 1, 168)) errors.capHours = 'Enter the period in hours, from 1 to 168.';
  const texts = Object.fromEntries(TEXTS.map((name) => [name, text(data, name).slice(0, 480) || null]));
  const changes: Partial<ConsentRules> = {
    optInRequired: Object.fromEntries(CHANNELS.map((c) => [c, data.get(`optIn.${c}`) === 'on'])) as ConsentRules['optInRequired'],
    replyWindowHours: Number(replyWindow),
    sendingWindow: window,
    frequencyCap: capped ? { count: Number(capCount), hours: Number(capHours) } : null,
    ...texts,
  };
  return { changes, errors };
}

export const actions: Actions = {
  save: async (event) => {
    const { changes, errors } = rulesFrom(await event.request.formData());
    if (Object.keys(errors).length > 0) return fail(400, { errors });
    try {
      // The API replaces the whole settings object: what this page does not edit goes back as it was.
      const current = await backendJson<ConsentRules>(event, 'GET', '/api/v1/messaging-settings');
      await backendJson(event, 'PUT', '/api/v1/messaging-settings', { ...current, ...changes });
    } catch (err) {
      const failure = explainFailure(err);
      const fields = err instanceof ApiError && failure.status === 400 ? err.fieldErrors() : {};
      const errors = Object.fromEntries(Object.entries(fields).map(([path, message]) => [FORM_FIELD[path] ?? path, message]));
      return fail(failure.status, { errors: Object.keys(errors).length > 0 ? { form: failure.message, ...errors } : { form: failure.message } });
    }
    return { done: 'Consent rules saved. They apply to every message from now on.' };
  },
};
