import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { explainFailure } from '../../agency/session-api.server.js';
import { getJson, type Hours, type Service } from '../calendar-data.server.js';
import { addDays, dayIn } from '../calendar-time.js';
import { settingsActions } from './settings-actions.server.js';

/** Editors for what can be booked and when: services, weekly opening hours, and date exceptions (closures, extra hours). */
export const load: PageServerLoad = async (event) => {
  try {
    const [{ services }, week] = await Promise.all([
      getJson<{ services: Service[] }>(event, '/api/v1/booking/services'),
      getJson<Hours>(event, '/api/v1/booking/hours'),
    ]);
    const today = dayIn(new Date(), week.timeZone);
    const { exceptions } = await getJson<Hours>(event, `/api/v1/booking/hours?from=${today}&to=${addDays(today, 366)}`);
    return { services, timeZone: week.timeZone, weekly: week.weekly, exceptions, today };
  } catch (err) {
    error(explainFailure(err).status, explainFailure(err).message);
  }
};

export const actions: Actions = settingsActions;
