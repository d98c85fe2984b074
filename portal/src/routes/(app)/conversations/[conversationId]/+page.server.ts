import { error, fail } from '@sveltejs/kit';
import type { Cookies } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { backendJson, explainFailure } from '../../agency/session-api.server.js';
import type { Named } from '../../contacts/contact-name.js';
import { replyChannels, type Availability } from './reply-channels.js';

export type ThreadMessage = {
  id: string; direction: 'inbound' | 'outbound'; channel: string; body: string | null; template: { name: string } | null; status: string;
  policy: { decision: string; reason: { code: string; message: string }; until: string | null } | null;
  error: { code: string | null; message: string | null } | null; createdAt: string;
};
export type PanelContact = Named & { id: string; consent: { channel: string; state: 'opted_in' | 'opted_out' | 'unknown' }[] };
type Conversation = { id: string; contactId: string; channel: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function conversationOf(event: { cookies: Cookies; locals: App.Locals; fetch: typeof fetch }, id: string): Promise<Conversation> {
  if (!UUID.test(id)) error(404, 'No such conversation');
  // The backend lists only the signed-in tenant's conversations: another tenant's id is simply not there.
  const { conversations } = await backendJson<{ conversations: Conversation[] }>(event, 'GET', '/api/v1/conversations?limit=200');
  const found = conversations.find((c) => c.id === id);
  if (!found) error(404, 'No such conversation');
  return found;
}

export const load: PageServerLoad = async (event) => {
  const conversation = await conversationOf(event, event.params.conversationId);
  const [{ messages }, contact] = await Promise.all([
    backendJson<{ messages: ThreadMessage[] }>(event, 'GET', `/api/v1/conversations/${conversation.id}/messages?limit=200`),
    // Who is writing: shown beside the thread; the thread still opens if this one call fails.
    backendJson<PanelContact>(event, 'GET', `/api/v1/contacts/${conversation.contactId}`).catch(() => null),
  ]);
  const channels = await replyChannelsFor(event, conversation, contact);
  return { conversation, contact, channels, messages: [...messages].sort((a, b) => a.createdAt.localeCompare(b.createdAt)) };
};

export const actions: Actions = {
  /** A person's reply: the same policy check as every send; the outcome (sent, deferred, denied) is shown. */
  reply: async (event) => {
    const data = await event.request.formData();
    const body = String(data.get('body') ?? '').trim();
    if (!body) return fail(400, { errors: { body: 'Write a message first.' } });
    if (body.length > 1600) return fail(400, { errors: { body: 'Keep it under 1,600 characters.' } });
    const conversation = await conversationOf(event, event.params.conversationId);
    const contact = await backendJson<PanelContact>(event, 'GET', `/api/v1/contacts/${conversation.contactId}`).catch(() => null);
    const channels = await replyChannelsFor(event, conversation, contact);
    const channel = String(data.get('channel') ?? conversation.channel);
    if (!channels.includes(channel)) return fail(400, { errors: { body: 'That channel is not connected for this person. Pick one from the list.' } });
    try {
      const sent = await backendJson<ThreadMessage>(event, 'POST', '/api/v1/messages', { contactId: conversation.contactId, channel, body });
      const outcome = sent.policy?.decision === 'deny' ? `Not sent: ${sent.policy.reason.message}` : sent.policy?.decision === 'defer' ? `Will be sent later: ${sent.policy.reason.message}` : 'Sent to the queue.';
      return { done: outcome, errors: undefined };
    } catch (err) {
      return fail(explainFailure(err).status, { errors: { body: explainFailure(err).message } });
    }
  },
};

/** Only channels the business has connected and the contact can be reached on (no "Reply on WhatsApp" without WhatsApp). */
async function replyChannelsFor(event: { cookies: Cookies; locals: App.Locals; fetch: typeof fetch }, conversation: Conversation, contact: PanelContact | null): Promise<string[]> {
  const availability = await backendJson<Availability>(event, 'GET', '/api/v1/channels/availability').catch(() => null);
  return replyChannels(conversation.channel, availability, contact);
}
