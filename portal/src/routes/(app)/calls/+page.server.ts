import type { PageServerLoad } from './$types';
import { backendJson, explainFailure } from '../agency/session-api.server.js';

export type FollowUp = { messageId: string; channel: string; status: string; at: string };
export type CallRow = {
  id: string; direction: 'inbound' | 'outbound'; from: string; to: string; status: string; outcome: 'missed' | 'completed' | null;
  durationSeconds: number | null; startedAt: string | null; createdAt?: string; followUps: FollowUp[];
};

/** The call log, newest first (?outcome=missed to see only missed calls). */
export const load: PageServerLoad = async (event) => {
  const outcome = event.url.searchParams.get('outcome') === 'missed' ? 'missed' : undefined;
  try {
    const { calls } = await backendJson<{ calls: CallRow[] }>(event, 'GET', `/api/v1/calls?limit=100${outcome ? '&outcome=missed' : ''}`);
    return { calls, outcome: outcome ?? null, loadError: null };
  } catch (err) {
    return { calls: [] as CallRow[], outcome: outcome ?? null, loadError: explainFailure(err).message };
  }
};
