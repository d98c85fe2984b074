import { fail } from '@sveltejs/kit';
import { ApiError, planRefusalOf } from '#lib/server/api.js';
import { backendJson, explainFailure } from '../agency/session-api.server.js';
import type { Actions, PageServerLoad } from './$types';

export type { TwilioAccount as Twilio } from './twilio-actions.server.js';
import type { TwilioAccount as Twilio } from './twilio-actions.server.js';
import { twilioActions } from './twilio-actions.server.js';
export type TelegramBot = { username: string; updates: 'webhook' | 'polling' };
export type AutomationTemplate = { key: string; label: string; usedBy: string; text: string; whatsappTemplate: string | null; custom: boolean };
export type LinkedDevice = { state: string; phone: string | null; lastError: string | null; warnings: string[] };
export type Settings = Record<string, unknown> & {
  sendingWindow: { start: string; end: string };
  helpText: string | null;
  optOutConfirmationText: string | null;
  optInConfirmationText: string | null;
};

const E164 = /^\+[1-9]\d{6,14}$/;
const TELEGRAM_TOKEN = /^\d{5,20}:[A-Za-z0-9_-]{30,60}$/;
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const TEXTS = ['helpText', 'optOutConfirmationText', 'optInConfirmationText'] as const;

export const load: PageServerLoad = async (event) => {
  try {
    const [twilio, telegram, settings, whatsapp, templates] = await Promise.all([
      connected<Twilio>(event, 'twilio'),
      // One channel's trouble should not hide the others: a failed Telegram lookup is shown in its card.
      connected<TelegramBot>(event, 'telegram').catch((err: unknown) => explainFailure(err).message),
      backendJson<Settings>(event, 'GET', '/api/v1/messaging-settings'),
      backendJson<LinkedDevice>(event, 'GET', '/api/v1/whatsapp/linked-device').catch(() => null),
      backendJson<{ templates: AutomationTemplate[] }>(event, 'GET', '/api/v1/automation-templates').then((r) => r.templates, () => []),
    ]);
    return { twilio, telegram, settings, whatsapp, templates, loadError: null };
  } catch (err) {
    return { twilio: null, telegram: null, settings: null, whatsapp: null, templates: [], loadError: explainFailure(err).message };
  }
};

/** A provider account, or null when none is connected yet (the API answers 404). */
function connected<T>(event: Parameters<PageServerLoad>[0], provider: 'twilio' | 'telegram'): Promise<T | null> {
  return backendJson<T>(event, 'GET', `/api/v1/tenant/providers/${provider}`).catch((err: unknown) => {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  });
}

const text = (data: FormData, name: string) => String(data.get(name) ?? '').trim();

export const actions: Actions = {
  saveTemplate: async (event) => {
    const data = await event.request.formData();
    const key = text(data, 'key');
    const path = `/api/v1/automation-templates/${encodeURIComponent(key)}` as const;
    try {
      if (data.get('intent') === 'reset') {
        await backendJson(event, 'DELETE', path);
        return { action: 'templates', key, done: 'Back to the default wording.' };
      }
      const body = text(data, 'text');
      if (!body) return fail(400, { action: 'templates', key, errors: { text: 'Write the message, or use “Back to the default”.' } });
      const whatsappTemplate = data.has('whatsappTemplate') ? text(data, 'whatsappTemplate') || null : undefined;
      await backendJson(event, 'PUT', path, { text: body, ...(whatsappTemplate !== undefined && { whatsappTemplate }) });
      return { action: 'templates', key, done: 'Saved. The automations use it from their next run.' };
    } catch (err) {
      const failure = explainFailure(err);
      const fields = err instanceof ApiError && failure.status === 400 ? err.fieldErrors() : {};
      const errors: Record<string, string> = fields.whatsappTemplate ? { whatsappTemplate: fields.whatsappTemplate } : { form: failure.message };
      return fail(failure.status, { action: 'templates', key, errors });
    }
  },
  pairWhatsApp: async (event) => {
    const phoneNumber = text(await event.request.formData(), 'phoneNumber').replace(/[\s()-]/g, '');
    if (phoneNumber && !E164.test(phoneNumber)) return fail(400, { action: 'whatsapp', errors: { phoneNumber: 'Enter the number in international form, e.g. +14155550123, or leave it empty to scan a QR code.' } });
    try {
      const health = await backendJson<LinkedDevice>(event, 'POST', '/api/v1/whatsapp/linked-device/pair', phoneNumber ? { phoneNumber } : {});
      return { action: 'whatsapp', done: health.warnings.at(-1)?.startsWith('No worker') ? health.warnings.at(-1) : 'Open WhatsApp on the phone and scan the code below.' };
    } catch (err) {
      return fail(explainFailure(err).status, { action: 'whatsapp', errors: { form: explainFailure(err).message } as Record<string, string>, planRefusal: planRefusalOf(err) });
    }
  },
  unlinkWhatsApp: async (event) => {
    try {
      await backendJson(event, 'POST', '/api/v1/whatsapp/linked-device/logout', {});
      return { action: 'whatsapp', done: 'The number is being unlinked.' };
    } catch (err) {
      return fail(explainFailure(err).status, { action: 'whatsapp', errors: { form: explainFailure(err).message } });
    }
  },
  ...twilioActions,
  telegram: async (event) => {
    const botToken = text(await event.request.formData(), 'botToken');
    if (!TELEGRAM_TOKEN.test(botToken)) return fail(400, { action: 'telegram', errors: { botToken: 'Paste the token @BotFather gave you, like 123456789:AA…' } });
    try {
      await backendJson(event, 'PUT', '/api/v1/tenant/providers/telegram', { botToken });
    } catch (err) {
      const planRefusal = planRefusalOf(err);
      return fail(explainFailure(err).status, { action: 'telegram', errors: (planRefusal ? {} : { botToken: explainFailure(err).message }) as Record<string, string>, planRefusal });
    }
    return { action: 'telegram', done: 'Telegram bot connected.' };
  },
  disconnectTelegram: async (event) => {
    try {
      await backendJson(event, 'DELETE', '/api/v1/tenant/providers/telegram');
    } catch (err) {
      return fail(explainFailure(err).status, { action: 'telegram', errors: { form: explainFailure(err).message } });
    }
    return { action: 'telegram', done: 'Telegram bot disconnected.' };
  },
  settings: async (event) => {
    const data = await event.request.formData();
    const window = { start: text(data, 'start'), end: text(data, 'end') };
    const errors: Record<string, string> = {};
    if (!HHMM.test(window.start)) errors.start = 'Use the 24-hour clock, e.g. 09:00.';
    if (!HHMM.test(window.end)) errors.end = 'Use the 24-hour clock, e.g. 20:00.';
    if (Object.keys(errors).length > 0) return fail(400, { action: 'settings', errors });
    try {
      // The API takes the whole settings object: keep what this page does not edit exactly as it was.
      const current = await backendJson<Settings>(event, 'GET', '/api/v1/messaging-settings');
      const texts = Object.fromEntries(TEXTS.map((name) => [name, text(data, name).slice(0, 480) || null]));
      await backendJson(event, 'PUT', '/api/v1/messaging-settings', { ...current, sendingWindow: window, ...texts });
    } catch (err) {
      return fail(explainFailure(err).status, { action: 'settings', errors: { form: explainFailure(err).message } });
    }
    return { action: 'settings', done: 'Messaging settings saved.' };
  },
};
