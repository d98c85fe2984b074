import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { backendJson, explainFailure } from '../agency/session-api.server.js';

type Figures = { missedCalls: number; followedUpWhatsapp: number; followedUpSms: number; replies: number; optOuts: number };
export type Overview = { timeZone: string; today: Figures; week: Figures; days: { day: string; missedCalls: number; replies: number }[] };

export const load: PageServerLoad = async (event) => {
  // Agency staff at agency level have no business Home: theirs is the list of client businesses.
  if (!(await event.parent()).me.tenantId) redirect(303, '/agency');
  try {
    return { overview: await backendJson<Overview>(event, 'GET', '/api/v1/stats/overview'), loadError: null };
  } catch (err) {
    return { overview: null, loadError: explainFailure(err).message };
  }
};
