import type { PageServerLoad } from './$types';
import { backendJson, explainFailure } from '../agency/session-api.server.js';

export type ContactRow = { id: string; name: string | null; phone: string | null; email: string | null; telegramChatId: string | null; leadStage: string; createdAt: string };

/** The tenant's contacts, searchable by name, phone or email (?q=). */
export const load: PageServerLoad = async (event) => {
  const q = event.url.searchParams.get('q')?.trim().slice(0, 200) ?? '';
  try {
    const query = new URLSearchParams({ limit: '100', ...(q && { q }) });
    const { contacts } = await backendJson<{ contacts: ContactRow[] }>(event, 'GET', `/api/v1/contacts?${query}`);
    return { contacts, q, loadError: null };
  } catch (err) {
    return { contacts: [] as ContactRow[], q, loadError: explainFailure(err).message };
  }
};
