import { fail } from '@sveltejs/kit';
import type { RequestEvent } from '@sveltejs/kit';
import { backendJson, explainFailure } from '../../agency/session-api.server.js';

export type Note = { id: string; body: string; author: { type: string; id: string }; createdAt: string };
type Activity = { id: string; type: string; data: Record<string, unknown>; occurredAt: string; author: { type: string } };
type Booking = { id: string; serviceId: string; start: string; status: 'confirmed' | 'cancelled'; timeZone: string };
type Conversation = { id: string; channel: string; createdAt: string; lastMessageAt?: string | null };

/** One line of the contact's activity timeline, newest first. */
export type TimelineEntry = { id: string; at: string; title: string; detail: string | null; href: string | null };
type Context = Pick<RequestEvent, 'cookies' | 'locals' | 'fetch'>;

/** Notes, and what happened with the contact: activities (agent handoffs, follow-up outcomes...), conversations and bookings. */
export async function loadTimeline(event: Context, contactId: string): Promise<{ notes: Note[]; timeline: TimelineEntry[] }> {
  const base = `/api/v1/contacts/${contactId}` as const;
  const [{ notes }, { activities }, conversations, bookings] = await Promise.all([
    backendJson<{ notes: Note[] }>(event, 'GET', `${base}/notes?limit=100`),
    backendJson<{ activities: Activity[] }>(event, 'GET', `${base}/activities?limit=100`),
    backendJson<{ conversations: Conversation[] }>(event, 'GET', `/api/v1/conversations?contactId=${contactId}&limit=50`).then((r) => r.conversations, () => []),
    loadBookings(event, contactId),
  ]);
  const timeline: TimelineEntry[] = [
    ...activities.map((a) => ({ id: a.id, at: a.occurredAt, title: activityTitle(a), detail: activityDetail(a), href: conversationLink(a.data) })),
    ...conversations.map((c) => ({ id: c.id, at: c.createdAt, title: `Conversation started on ${channelName(c.channel)}`, detail: null, href: `/conversations/${c.id}` })),
    ...bookings,
  ];
  return { notes, timeline: timeline.sort((a, b) => b.at.localeCompare(a.at)) };
}

async function loadBookings(event: Context, contactId: string): Promise<TimelineEntry[]> {
  try {
    const [{ bookings }, { services }] = await Promise.all([
      backendJson<{ bookings: Booking[] }>(event, 'GET', `/api/v1/bookings?contactId=${contactId}&limit=50`),
      backendJson<{ services: { id: string; name: string }[] }>(event, 'GET', '/api/v1/booking/services'),
    ]);
    const serviceName = new Map(services.map((s) => [s.id, s.name]));
    return bookings.map((b) => ({
      id: b.id, at: b.start, href: `/bookings?booking=${b.id}`,
      title: `${b.status === 'cancelled' ? 'Cancelled appointment' : 'Appointment'}: ${serviceName.get(b.serviceId) ?? 'a service'}`,
      detail: null,
    }));
  } catch {
    return []; // a role without calendar access still sees the rest of the timeline
  }
}

const channelName = (channel: string) => ({ sms: 'SMS', whatsapp: 'WhatsApp', telegram: 'Telegram', web: 'web chat' })[channel] ?? channel;

function activityTitle(activity: Activity): string {
  if (activity.type === 'agent.handoff') return 'The AI agent handed this person over to your team';
  if (activity.type.startsWith('booking.')) return `Booking ${activity.type.slice('booking.'.length)}`;
  const words = activity.type.replace(/[._]/g, ' ');
  return `${words.charAt(0).toUpperCase()}${words.slice(1)}`;
}

/** The activity's data as a short readable line (plain values only; ids and nested data stay out). */
function activityDetail(activity: Activity): string | null {
  const parts = Object.entries(activity.data)
    .filter(([key, value]) => !/id$/i.test(key) && ['string', 'number', 'boolean'].includes(typeof value))
    .map(([key, value]) => `${key.replace(/([A-Z])/g, ' $1').toLowerCase()}: ${String(value)}`);
  return parts.length > 0 ? parts.join(' · ') : null;
}

const conversationLink = (data: Record<string, unknown>) => (typeof data.conversationId === 'string' ? `/conversations/${data.conversationId}` : null);

/** Form action: a note from a person on the team. */
export async function addNote(event: RequestEvent<{ contactId: string }>) {
  const body = String((await event.request.formData()).get('note') ?? '').trim();
  if (!body) return fail(400, { noteErrors: { note: 'Write the note first.' } });
  if (body.length > 4000) return fail(400, { noteErrors: { note: 'Keep a note under 4,000 characters.' } });
  try {
    await backendJson(event, 'POST', `/api/v1/contacts/${event.params.contactId}/notes`, { body });
    return { noteAdded: true };
  } catch (err) {
    return fail(explainFailure(err).status, { noteErrors: { note: explainFailure(err).message } });
  }
}
