import type { PageServerLoad } from './$types';
import { backendJson, explainFailure } from '../agency/session-api.server.js';

export type FollowUp = {
  messageId: string; channel: string; status: string; at: string;
  reason: { code: string; message: string } | null; deferredUntil: string | null; error: string | null;
};
export type FollowUpState = {
  state: 'none' | 'pending' | 'running' | 'sent' | 'failed' | 'not_run';
  failure: { workflowName: string | null; node: string | null; errorMessage: string; executionUrl: string | null; occurredAt: string } | null;
};
export type CallRow = {
  id: string; direction: 'inbound' | 'outbound'; from: string; to: string; status: string; outcome: 'missed' | 'completed' | null;
  durationSeconds: number | null; startedAt: string | null; createdAt?: string; followUps: FollowUp[]; followUp: FollowUpState;
  /** "Send a test missed call" (Channels page): not a real call, never billed. */
  isTest?: boolean;
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
