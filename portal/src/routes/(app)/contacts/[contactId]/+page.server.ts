import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { backendJson, explainFailure } from '../../agency/session-api.server.js';
import { confirmsErasure, displayName, type Named } from '../contact-name.js';
import { addNote, loadTimeline } from './timeline.server.js';

type Consent = { channel: string; state: 'opted_in' | 'opted_out' | 'unknown'; since: string | null; source: string | null };
export type ContactDetail = Named & { id: string; whatsappId: string | null; timeZone: string | null; consent: Consent[] };
export type ConsentEvent = { id: string; channel: string; kind: string; source: string; wording: string | null; occurredAt: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CHANNELS = ['sms', 'whatsapp', 'telegram', 'web'];

export const load: PageServerLoad = async (event) => {
  if (!UUID.test(event.params.contactId)) error(404, 'No such contact');
  try {
    const [contact, me] = await Promise.all([
      backendJson<ContactDetail>(event, 'GET', `/api/v1/contacts/${event.params.contactId}`),
      backendJson<{ permissions: string[] }>(event, 'GET', '/api/v1/auth/me'),
    ]);
    const [{ events }, { notes, timeline }] = await Promise.all([
      backendJson<{ events: ConsentEvent[] }>(event, 'GET', `/api/v1/contacts/${contact.id}/consent`),
      loadTimeline(event, contact.id),
    ]);
    return {
      contact, name: displayName(contact), history: events, notes, timeline, consentChannels: consentChannels(contact),
      justAdded: event.url.searchParams.get('added') === '1',
      // Export and erasure are for owners and admins (docs/permissions.md); others are not offered them.
      canManagePrivacy: me.permissions.includes('tenant.settings.manage'),
      justErased: event.url.searchParams.get('erased') === '1',
    };
  } catch (err) {
    // Another tenant's contact is not found for this session: the same page as a missing one.
    if (explainFailure(err).status === 404) error(404, 'No such contact');
    throw err;
  }
};

/** Channels consent can be recorded on: an opt-in needs an address there (the backend refuses it otherwise). */
function consentChannels(contact: ContactDetail): string[] {
  return CHANNELS.filter((channel) => channel === 'web'
    || (channel === 'sms' && !!contact.phone)
    || (channel === 'whatsapp' && !!(contact.whatsappId ?? contact.phone))
    || (channel === 'telegram' && !!contact.telegramChatId));
}

export const actions: Actions = {
  note: addNote,
  /** Irreversible: the person asked to be forgotten. Typing their name guards against a slip of the mouse. */
  erase: async (event) => {
    const typed = String((await event.request.formData()).get('confirm') ?? '');
    const path = `/api/v1/contacts/${event.params.contactId}` as const;
    try {
      const contact = await backendJson<ContactDetail>(event, 'GET', path);
      if (!confirmsErasure(contact, typed)) {
        return fail(400, { eraseErrors: { confirm: `Type “${displayName(contact)}” exactly as shown to confirm.` } as EraseErrors });
      }
      await backendJson(event, 'POST', `${path}/erase`, { confirm: 'ERASE' });
    } catch (err) {
      return fail(explainFailure(err).status, { eraseErrors: { form: explainFailure(err).message } as EraseErrors });
    }
    redirect(303, `/contacts/${event.params.contactId}?erased=1`);
  },
  /** Opt in with evidence (what they agreed to, and where), or opt out: stored in the consent ledger. */
  consent: async (event) => {
    const data = await event.request.formData();
    const channel = String(data.get('channel') ?? '');
    const kind = String(data.get('kind') ?? '');
    const wording = String(data.get('wording') ?? '').trim();
    const errors: Partial<Record<'channel' | 'wording' | 'form', string>> = {};
    if (!CHANNELS.includes(channel)) errors.channel = 'Choose a channel.';
    if (kind === 'opt_in' && !wording) errors.wording = 'Write what the person agreed to (the wording they saw or heard).';
    if (kind !== 'opt_in' && kind !== 'opt_out') errors.form = 'Choose opt in or opt out.';
    if (Object.keys(errors).length > 0) return fail(400, { errors });
    try {
      await backendJson(event, 'POST', `/api/v1/contacts/${event.params.contactId}/consent`, {
        channel, kind, source: 'manual', ...(wording && { wording }), evidence: { recordedIn: 'portal' },
      });
      return { done: kind === 'opt_in' ? `Opt-in on ${channel} recorded.` : `Opt-out on ${channel} recorded.` };
    } catch (err) {
      const failed: typeof errors = { form: explainFailure(err).message };
      return fail(explainFailure(err).status, { errors: failed });
    }
  },
};

type EraseErrors = Partial<Record<'confirm' | 'form', string>>;
