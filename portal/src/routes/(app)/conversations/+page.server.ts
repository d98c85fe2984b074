import type { PageServerLoad } from './$types';
import { backendJson, explainFailure } from '../agency/session-api.server.js';

export type ConversationRow = { id: string; contactId: string; channel: string; lastMessageAt: string | null; lastInboundAt: string | null; contact: string };
type Contact = { id: string; name: string | null; phone: string | null; telegramChatId: string | null };

/** The tenant's conversations, most recent first, each with the contact's name or number. */
export const load: PageServerLoad = async (event) => {
  try {
    const [{ conversations }, { contacts }] = await Promise.all([
      backendJson<{ conversations: Omit<ConversationRow, 'contact'>[] }>(event, 'GET', '/api/v1/conversations?limit=100'),
      backendJson<{ contacts: Contact[] }>(event, 'GET', '/api/v1/contacts?limit=100'),
    ]);
    const names = new Map(contacts.map((c) => [c.id, c.name ?? c.phone ?? (c.telegramChatId ? `Telegram ${c.telegramChatId}` : 'Unknown contact')]));
    const rows: ConversationRow[] = conversations
      .map((c) => ({ ...c, contact: names.get(c.contactId) ?? 'Contact' }))
      .sort((a, b) => (b.lastMessageAt ?? '').localeCompare(a.lastMessageAt ?? ''));
    return { conversations: rows, loadError: null };
  } catch (err) {
    return { conversations: [] as ConversationRow[], loadError: explainFailure(err).message };
  }
};
